package dev.v86unit.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.v86unit.V86Machine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineTestKit;

/** A fixture that cannot be copied fails its class at once, naming the fixture and the class. */
class FixtureIT {

    @Test
    void a_missing_fixture_names_itself_and_the_class() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(MissingFixture.class)).execute().allEvents()
                .assertThatEvents().haveExactly(1, event(finishedWithFailure(
                        instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.contains("@Fixture(from = \"classpath:no-such-folder/\", to = \"/opt/app\") on "
                                + MissingFixture.class.getName()) && m.contains("Classpath resource not found")))));
    }

    @Test
    void a_relative_guest_path_names_itself_and_the_class() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(RelativeTarget.class)).execute().allEvents()
                .assertThatEvents().haveExactly(1, event(finishedWithFailure(
                        instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.contains("to = \"opt/app\"") && m.contains("Guest path must be absolute")))));
    }

    @V86Vm(image = "busybox")
    @Fixture(from = "classpath:no-such-folder/", to = "/opt/app")
    static class MissingFixture {
        @Test
        void test(V86Machine vm) {
        }
    }

    @V86Vm(image = "busybox", fixtures = @Fixture(from = "classpath:simplelogger.properties", to = "opt/app"))
    static class RelativeTarget {
        @Test
        void test(V86Machine vm) {
        }
    }
}
