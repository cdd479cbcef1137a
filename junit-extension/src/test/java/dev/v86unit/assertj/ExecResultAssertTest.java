package dev.v86unit.assertj;

import static dev.v86unit.assertj.V86Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v86unit.ExecResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExecResultAssertTest {

    private static ExecResult result(String command, int exitCode, String stdout, String stderr) {
        return new ExecResult(command, exitCode, stdout.getBytes(StandardCharsets.UTF_8), stderr.getBytes(StandardCharsets.UTF_8), Duration.ofMillis(3));
    }

    @Test
    void passes_on_matching_exit_codes_and_navigates_to_the_streams() {
        assertThat(result("echo hi; echo oops >&2; exit 3", 3, "hi\n", "oops\n"))
                .hasExitCode(3).fails()
                .stdout().isEqualTo("hi\n");
        assertThat(result("true", 0, "", "")).succeeds().stderr().isEmpty();
    }

    @Test
    void succeeds_failure_shows_command_exit_code_and_both_streams() {
        assertThatThrownBy(() -> assertThat(result("ls /nope", 2, "", "ls: /nope: No such file or directory\n")).succeeds())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting command")
                .hasMessageContaining("\"ls /nope\"")
                .hasMessageContaining("to succeed (exit code 0), but it exited with 2.")
                .hasMessageContaining("stderr:")
                .hasMessageContaining("ls: /nope: No such file or directory\\n");
    }

    @Test
    void has_exit_code_failure_says_expected_and_actual() {
        assertThatThrownBy(() -> assertThat(result("exit 1", 1, "100% done", "")).hasExitCode(42))
                .hasMessageContaining("to exit with 42, but it exited with 1.")
                .hasMessageContaining("100% done");
    }

    @Test
    void fails_failure_says_it_exited_with_zero() {
        assertThatThrownBy(() -> assertThat(result("true", 0, "", "")).fails())
                .hasMessageContaining("to fail (a non-zero exit code), but it exited with 0.");
    }

    @Test
    void stream_assertions_are_labelled_with_the_command() {
        assertThatThrownBy(() -> assertThat(result("echo hi", 0, "hi\n", "")).stdout().isEqualTo("ho\n"))
                .hasMessageContaining("stdout of \"echo hi\" (exit code 0)");
        assertThatThrownBy(() -> assertThat(result("echo hi", 0, "hi\n", "")).stderr().isNotEmpty())
                .hasMessageContaining("stderr of \"echo hi\"");
    }

    @Test
    void long_output_is_cut_in_the_middle() {
        String big = "x".repeat(10_000) + "NEEDLE" + "y".repeat(10_000);
        assertThatThrownBy(() -> assertThat(result("big", 1, big, "")).succeeds())
                .hasMessageContaining("characters cut")
                .hasMessageNotContaining("NEEDLE");
    }

    @Test
    void a_null_result_is_reported_as_such() {
        assertThatThrownBy(() -> assertThat((ExecResult) null).succeeds()).hasMessageContaining("Expecting actual not to be null");
    }

    @Test
    void stderr_bytes_are_checked_exactly_and_a_mismatch_names_the_command() {
        ExecResult binary = new ExecResult("printf '\\377' >&2", 0, new byte[0], new byte[] {(byte) 0xff}, Duration.ofMillis(1));
        assertThat(binary).stderrBytes().containsExactly(0xff);
        assertThatThrownBy(() -> assertThat(binary).stderrBytes().containsExactly(0xfe))
                .hasMessageContaining("stderr bytes of \"printf '\\\\377' >&2\"");
    }
}
