package dev.v86unit.junit;

import static dev.v86unit.assertj.V86Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.v86unit.V86Machine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;
import org.junit.platform.testkit.engine.Events;

/** A failing @V86Vm test's report carries the machine's commands and console; a passing one's carries nothing. */
class FailureContextIT {

    @Test
    void a_failing_test_gets_the_commands_and_the_console_a_passing_one_nothing() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(OnePassesOneFails.class))
                .execute();
        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
        Events events = results.allEvents();
        List<Event> entries = events.filter(event -> event.getType() == EventType.REPORTING_ENTRY_PUBLISHED).toList();
        assertThat(entries).hasSize(1);
        Event entry = entries.get(0);
        assertThat(entry.getTestDescriptor().getDisplayName()).isEqualTo("fails(V86Machine)");
        Map<String, String> values = entry.getRequiredPayload(ReportEntry.class).getKeyValuePairs();
        assertThat(values).containsOnlyKeys("v86unit.busybox");
        String report = values.get("v86unit.busybox");
        assertThat(report)
                .startsWith("Machine busybox#")
                // one machine per class: the passing test's command is in its history too, first
                .containsSubsequence("Commands it ran, oldest first:\n  \"echo passing\" -> exit 0 in ",
                        "\n  \"echo first\" -> exit 0 in ",
                        "\n  \"echo broken >&2; exit 7\" -> exit 7 in ",
                        "\nLast console lines");

        Throwable failure = events.filter(event -> event.getType() == EventType.FINISHED
                        && event.getRequiredPayload(TestExecutionResult.class).getStatus() == TestExecutionResult.Status.FAILED)
                .findFirst().orElseThrow()
                .getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
        assertThat(failure).isInstanceOf(AssertionError.class).hasMessageContaining("to exit with 0, but it exited with 7");
        assertThat(failure.getSuppressed()).hasSize(1);
        assertThat(failure.getSuppressed()[0]).hasMessage("the test's machine:\n" + report);
    }

    @V86Vm(image = "busybox")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class OnePassesOneFails {

        @Test
        @Order(1)
        void passes(V86Machine vm) {
            assertThat(vm.exec("echo passing")).succeeds();
        }

        @Test
        @Order(2)
        void fails(V86Machine vm) {
            assertThat(vm.exec("echo first")).succeeds();
            assertThat(vm.exec("echo broken >&2; exit 7")).hasExitCode(0);
        }
    }
}
