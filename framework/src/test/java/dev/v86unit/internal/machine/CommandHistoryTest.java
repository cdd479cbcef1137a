package dev.v86unit.internal.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v86unit.ExecResult;
import dev.v86unit.V86Exception;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandHistoryTest {

    private static ExecResult result(String command, int exitCode) {
        return new ExecResult(command, exitCode, new byte[0], new byte[0], Duration.ofMillis(12));
    }

    @Test
    void says_how_each_command_ended_oldest_first() {
        CommandHistory history = new CommandHistory();
        history.finished(result("ls /", 0));
        history.failed("sleep 99", new V86Exception("Command timed out after 1 s: \"sleep 99\"\n  stdout so far: \"\""));
        history.started("httpd -f", "started in the background");
        assertThat(history.entries()).containsExactly(
                "\"ls /\" -> exit 0 in 12 ms",
                "\"sleep 99\" -> V86Exception: Command timed out after 1 s: \"sleep 99\"",
                "\"httpd -f\" -> started in the background");
    }

    @Test
    void keeps_only_the_last_commands_and_says_how_many_it_dropped() {
        CommandHistory history = new CommandHistory();
        for (int i = 1; i <= CommandHistory.KEPT + 5; i++) {
            history.finished(result("echo " + i, 0));
        }
        assertThat(history.entries()).hasSize(CommandHistory.KEPT + 1)
                .startsWith("(5 earlier commands not kept)", "\"echo 6\" -> exit 0 in 12 ms")
                .endsWith("\"echo " + (CommandHistory.KEPT + 5) + "\" -> exit 0 in 12 ms");
    }

    @Test
    void cuts_the_middle_of_long_commands() {
        CommandHistory history = new CommandHistory();
        history.finished(result("x".repeat(5000), 0));
        assertThat(history.entries().get(0)).hasSizeLessThan(300).contains("characters cut");
    }
}
