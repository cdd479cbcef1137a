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
import org.junit.platform.testkit.engine.Events;

/** Misuse of @V86Vm fails at once, before any machine boots, with a message that names the culprit. */
class V86VmPreconditionTest {

    private static Events run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.conditions.deactivate", "org.junit.*DisabledCondition")
                .selectors(selectClass(testClass))
                .execute()
                .allEvents();
    }

    @Test
    void an_unknown_image_names_the_image_and_the_available_ones() {
        run(UnknownImage.class).assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(IllegalArgumentException.class),
                message("Unknown image 'no-such-image'. Available images: "
                        + "busybox, debian, debian:11, debian:12, debian:13, debian:bookworm, debian:bullseye, debian:trixie, rootfs:<classpath:|file:|path of an i386 root filesystem tar[.gz|.xz|.zst]>, oci:<classpath:|file:|path of a linux/386 docker save or OCI layout tar>"))));
    }

    @Test
    void a_blank_image_is_rejected_with_the_class_name() {
        run(BlankImage.class).assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(m -> m.contains("@V86Vm on " + BlankImage.class.getName() + " has a blank image")))));
    }

    @Test
    void a_final_field_is_rejected_with_its_name() {
        run(FinalField.class).assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(m -> m.contains("field 'vm'") && m.contains("it is final")))));
    }

    @Test
    void packages_on_an_image_without_a_root_filesystem_are_refused() {
        run(PackagesOnBusybox.class).assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(IllegalArgumentException.class),
                message("Image 'busybox' has no root filesystem to add packages to; use 'debian'"))));
    }

    @Test
    void a_package_name_that_cannot_exist_is_refused_with_the_class_name() {
        run(BadPackageName.class).assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(m -> m.contains("@V86Vm on " + BadPackageName.class.getName()) && m.contains("'Not A Package'")))));
    }

    @Test
    void a_timeout_that_is_not_a_duration_is_refused_with_the_attribute_and_the_accepted_forms() {
        run(BadExecTimeout.class).assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message("@V86Vm on " + BadExecTimeout.class.getName() + ": execTimeout = \"ten minutes\" is not a duration:"
                        + " give a number of seconds (e.g. \"120\") or an ISO-8601 duration (e.g. \"PT2M\")"))));
    }

    @Test
    void a_timeout_of_zero_is_refused() {
        run(ZeroBootTimeout.class).assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(m -> m.endsWith("bootTimeout = \"0\" must be positive")))));
    }

    @V86Vm(image = "busybox", execTimeout = "ten minutes")
    static class BadExecTimeout {
        @Test
        void test(V86Machine vm) {
        }
    }

    @V86Vm(image = "busybox", bootTimeout = "0")
    static class ZeroBootTimeout {
        @Test
        void test(V86Machine vm) {
        }
    }

    @V86Vm(image = "busybox", packages = "bc")
    static class PackagesOnBusybox {
        @Test
        void test(V86Machine vm) {
        }
    }

    @V86Vm(image = "debian", packages = "Not A Package")
    static class BadPackageName {
        @Test
        void test(V86Machine vm) {
        }
    }

    @V86Vm(image = "no-such-image")
    static class UnknownImage {
        @Test
        void test(V86Machine vm) {
        }
    }

    @V86Vm(image = " ")
    static class BlankImage {
        @Test
        void test(V86Machine vm) {
        }
    }

    @V86Vm(image = "no-such-image")
    static class FinalField {
        final V86Machine vm = null;

        @Test
        void test() {
        }
    }
}
