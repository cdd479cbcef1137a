package dev.v86unit.examples;

import static dev.v86unit.assertj.V86Assertions.assertThat;

import dev.v86unit.ExecResult;
import dev.v86unit.V86Machine;
import dev.v86unit.junit.V86Vm;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Exit codes, stderr, pipes and redirects: what every shell-level test leans on. */
@V86Vm(image = "busybox")
@DisplayName("Shell basics in a busybox guest")
class ShellBasicsTest {

    // Injected by @V86Vm before each test; one machine serves the whole class.
    V86Machine vm;

    @Nested
    class Exit_codes {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({"true, 0", "false, 1", "exit 42, 42", "test 1 -gt 2, 1", "sh -c 'exit 255', 255"})
        void are_reported_exactly(String command, int exitCode) {
            assertThat(vm.exec(command)).hasExitCode(exitCode);
        }

        @Test
        void a_missing_program_is_127() {
            assertThat(vm.exec("no-such-program")).hasExitCode(127).stderr().contains("not found");
        }
    }

    @Nested
    class Stderr {

        @Test
        void is_kept_apart_from_stdout() {
            ExecResult result = vm.exec("ls /etc/passwd /nonexistent");
            assertThat(result).fails();
            assertThat(result).stdout().isEqualTo("/etc/passwd\n");
            assertThat(result).stderr().contains("/nonexistent").contains("No such file or directory");
        }
    }

    @Nested
    class Pipes_and_redirects {

        @Test
        void pipes_chain_tools() {
            assertThat(vm.exec("printf 'b\\na\\nc\\na\\n' | sort | uniq -c | sort -rn | head -1"))
                    .succeeds().stdout().matches("\\s*2 a\\n");
        }

        @Test
        void redirects_write_and_append_files() {
            assertThat(vm.exec("cd /tmp && echo one > f.txt && echo two >> f.txt && wc -l < f.txt && cat f.txt"))
                    .succeeds().stdout().isEqualTo("2\none\ntwo\n");
        }

        @Test
        void stderr_can_be_merged_into_stdout() {
            assertThat(vm.exec("{ echo out; echo err >&2; } 2>&1 | sort"))
                    .succeeds().stdout().isEqualTo("err\nout\n");
        }

        @Test
        void pipefail_is_not_needed_to_see_a_failing_pipeline_end() {
            assertThat(vm.exec("echo data | grep -q nomatch")).hasExitCode(1);
        }
    }
}
