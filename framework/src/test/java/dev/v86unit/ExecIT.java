package dev.v86unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** exec() against one real busybox machine: the contract of issue 2, requirement 4. */
@DisplayName("exec on a real busybox machine")
class ExecIT {

    static V86Machine vm;

    @BeforeAll
    static void boot() {
        vm = V86Machine.start("busybox");
    }

    @AfterAll
    static void close() {
        if (vm != null) {
            vm.close();
        }
    }

    @Nested
    class Exit_codes_and_streams {

        @ParameterizedTest(name = "exit {0}")
        @ValueSource(ints = {0, 1, 42, 255})
        void exit_codes_are_exact(int code) {
            assertThat(vm.exec("exit " + code).exitCode()).isEqualTo(code);
        }

        @Test
        void stdout_and_stderr_are_separate() {
            ExecResult result = vm.exec("echo hi; echo oops >&2; exit 3");
            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(result.stdout()).isEqualTo("hi\n");
            assertThat(result.stderr()).isEqualTo("oops\n");
            assertThat(result.command()).isEqualTo("echo hi; echo oops >&2; exit 3");
            assertThat(result.duration()).isPositive();
        }

        @Test
        void a_signal_shows_as_128_plus_its_number() {
            assertThat(vm.exec("sh -c 'kill -9 $$'").exitCode()).isEqualTo(137);
        }

        @Test
        void killing_the_control_shell_is_a_clear_error_and_the_next_exec_works() {
            assertThatThrownBy(() -> vm.exec("kill -9 $$"))
                    .isInstanceOf(V86Exception.class)
                    .hasMessageContaining("kill -9 $$")
                    .hasMessageContaining("control shell ended");
            assertThat(vm.exec("echo back").stdout()).isEqualTo("back\n");
        }

        @Test
        void a_syntax_error_is_an_exit_code_not_a_hang() {
            ExecResult result = vm.exec("echo 'unterminated");
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.stderr()).contains("unterminated");
        }
    }

    @Nested
    class Output_is_byte_exact {

        @Test
        void all_256_byte_values_come_back_unchanged() {
            ExecResult result = vm.exec("i=0; while [ $i -lt 256 ]; do printf \"\\\\$(printf %o $i)\"; i=$((i+1)); done");
            byte[] expected = new byte[256];
            for (int i = 0; i < 256; i++) {
                expected[i] = (byte) i;
            }
            assertThat(result.stdoutBytes()).containsExactly(expected);
        }

        @Test
        void carriage_returns_and_missing_trailing_newlines_are_kept() {
            assertThat(vm.exec("printf 'a\\r\\nb\\rc'").stdout()).isEqualTo("a\r\nb\rc");
            assertThat(vm.exec("printf ''").stdoutBytes()).isEmpty();
        }

        @Test
        void utf8_round_trips_in_command_and_output() {
            ExecResult result = vm.exec("echo 'grüße, 世界, 🙂'");
            assertThat(result.stdout()).isEqualTo("grüße, 世界, 🙂\n");
        }

        @Test
        void several_megabytes_of_output_arrive_complete() throws Exception {
            ExecResult result = vm.exec("dd if=/dev/zero bs=1024 count=6144 2>/dev/null | tr '\\0' 'x'; echo; seq 1 200000");
            assertThat(result.exitCode()).isZero();
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes("x".repeat(6144 * 1024).getBytes(StandardCharsets.US_ASCII));
            expected.write('\n');
            for (int i = 1; i <= 200000; i++) {
                expected.writeBytes((i + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            assertThat(result.stdoutBytes()).hasSize(expected.size());
            assertThat(HexFormat.of().formatHex(sha.digest(result.stdoutBytes())))
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected.toByteArray())));
        }
    }

    @Nested
    class Commands_cannot_confuse_the_protocol {

        @Test
        void output_that_looks_like_a_sentinel_is_just_output() {
            String fake = "__V86_0123456789abcdef_0__";
            ExecResult result = vm.exec("echo " + fake + "; echo " + fake + " > /dev/console; exit 5");
            assertThat(result.exitCode()).isEqualTo(5);
            assertThat(result.stdout()).isEqualTo(fake + "\n");
        }

        @Test
        void commands_longer_than_the_tty_line_limit_work() {
            String longArgument = "z".repeat(10_000);
            ExecResult result = vm.exec("echo " + longArgument + " | wc -c");
            assertThat(result.stdout().trim()).isEqualTo("10001");
        }

        @Test
        void multi_line_scripts_with_quotes_and_heredocs_work() {
            ExecResult result = vm.exec("""
                    f() { echo "it's $1"; }
                    f 'a "quoted" word'
                    cat <<'EOF'
                    $HOME stays literal
                    EOF
                    """);
            assertThat(result.stdout()).isEqualTo("it's a \"quoted\" word\n$HOME stays literal\n");
        }

        @Test
        void stdin_is_empty_so_cat_returns_at_once() {
            ExecResult result = vm.exec("cat; echo done", Duration.ofSeconds(30));
            assertThat(result.stdout()).isEqualTo("done\n");
        }

        @Test
        void control_characters_in_the_command_are_not_typed_into_the_tty() {
            ExecResult result = vm.exec("printf '%s' '\u0003\u0004\u001a' | od -An -tx1");
            assertThat(result.stdout().trim()).isEqualTo("03 04 1a");
        }
    }

    @Nested
    class Each_exec_is_independent {

        @Test
        void cd_variables_and_exit_do_not_leak() {
            vm.exec("cd /tmp; export LEAK=1; FOO=bar; exit 7");
            assertThat(vm.exec("pwd; echo \"[$LEAK$FOO]\"").stdout()).isEqualTo("/root\n[]\n");
        }
    }

    @Nested
    class Timeouts {

        @Test
        void a_command_past_its_timeout_throws_with_partial_output_and_the_next_exec_works() {
            assertThatThrownBy(() -> vm.exec("echo started; echo warn >&2; sleep 600", Duration.ofSeconds(2)))
                    .isInstanceOfSatisfying(ExecTimeoutException.class, e -> {
                        assertThat(e.partialStdout()).isEqualTo("started\n");
                        assertThat(e.partialStderr()).isEqualTo("warn\n");
                        assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(2));
                        assertThat(e.getMessage()).contains("timed out after 2 s", "sleep 600", "started");
                    });
            assertThat(vm.exec("echo alive").stdout()).isEqualTo("alive\n");
        }

        @Test
        void a_command_that_ignores_ctrl_c_is_stopped_too() {
            assertThatThrownBy(() -> vm.exec("trap '' INT; echo stubborn; sleep 600", Duration.ofSeconds(2)))
                    .isInstanceOf(ExecTimeoutException.class)
                    .hasMessageContaining("stubborn");
            assertThat(vm.exec("echo alive").stdout()).isEqualTo("alive\n");
        }
    }

    @Test
    void bad_arguments_are_rejected_clearly() {
        assertThatThrownBy(() -> vm.exec(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("command");
        assertThatThrownBy(() -> vm.exec("true", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }
}
