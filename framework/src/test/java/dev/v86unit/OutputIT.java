package dev.v86unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Output of commands on a real busybox machine: line-wise and bulk, streamed, limited, with consumers. */
class OutputIT {

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

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Nested
    class Line_by_line {

        @Test
        void seq_200000_arrives_exactly() throws Exception {
            ExecResult result = vm.exec("seq 1 200000");
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int i = 1; i <= 200000; i++) {
                expected.writeBytes((i + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(result.exitCode()).isZero();
            assertThat(result.stdoutBytes()).hasSize(expected.size());
            assertThat(sha256(result.stdoutBytes())).isEqualTo(sha256(expected.toByteArray()));
        }

        @Test
        void a_shell_loop_of_echoes_arrives_in_order() {
            ExecResult result = vm.exec("i=0; while [ $i -lt 2000 ]; do echo \"line $i\"; i=$((i+1)); done");
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                expected.append("line ").append(i).append('\n');
            }
            assertThat(result.stdout()).isEqualTo(expected.toString());
        }

        @Test
        void carriage_returns_and_a_missing_last_newline_are_kept() {
            ExecResult result = vm.exec("printf 'progress 10%%\\rprogress 100%%\\r\\ndone'");
            assertThat(result.stdout()).isEqualTo("progress 10%\rprogress 100%\r\ndone");
        }

        @Test
        void interleaved_stdout_and_stderr_stay_separate_and_in_order_within_each() {
            ExecResult result = vm.exec("i=0; while [ $i -lt 300 ]; do echo \"out $i\"; echo \"err $i\" >&2; i=$((i+1)); done; exit 4");
            StringBuilder out = new StringBuilder();
            StringBuilder err = new StringBuilder();
            for (int i = 0; i < 300; i++) {
                out.append("out ").append(i).append('\n');
                err.append("err ").append(i).append('\n');
            }
            assertThat(result.exitCode()).isEqualTo(4);
            assertThat(result.stdout()).isEqualTo(out.toString());
            assertThat(result.stderr()).isEqualTo(err.toString());
        }

        @Test
        void output_that_looks_like_our_markers_is_output() {
            ExecResult result = vm.exec("echo __V86_0123456789abcdef_E000__; echo __V86_; printf __V86_ >&2");
            assertThat(result.stdout()).isEqualTo("__V86_0123456789abcdef_E000__\n__V86_\n");
            assertThat(result.stderr()).isEqualTo("__V86_");
        }
    }

    @Nested
    class Bulk {

        @Test
        void fifty_megabytes_of_stdout_arrive_complete() throws Exception {
            byte[] block = new byte[1 << 20];
            new Random(42).nextBytes(block);
            vm.copyTo(block, "/tmp/block");
            ExecResult result = vm.exec("i=0; while [ $i -lt 50 ]; do cat /tmp/block; i=$((i+1)); done");
            MessageDigest expected = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < 50; i++) {
                expected.update(block);
            }
            assertThat(result.exitCode()).isZero();
            assertThat(result.stdoutBytes()).hasSize(50 << 20);
            assertThat(sha256(result.stdoutBytes())).isEqualTo(HexFormat.of().formatHex(expected.digest()));
            vm.exec("rm /tmp/block");
        }

        @Test
        void five_megabytes_of_stderr_arrive_complete() {
            ExecResult result = vm.exec("head -c 5000000 /dev/zero | tr '\\0' e >&2");
            assertThat(result.stderrBytes()).hasSize(5_000_000);
            assertThat(result.stderr()).matches("e{5000000}");
            assertThat(result.stdout()).isEmpty();
        }

        @Test
        void past_the_limit_output_is_cut_with_a_note_and_the_machine_stays_usable() {
            ExecResult result = vm.exec("head -c 300000 /dev/zero | tr '\\0' a; echo tail >&2",
                    ExecOptions.defaults().withOutputLimit(100_000));
            assertThat(result.exitCode()).isZero();
            assertThat(result.stdout()).startsWith("a".repeat(100_000))
                    .endsWith("\n[v86unit: output cut after 100000 bytes; 200000 more bytes were dropped]\n");
            assertThat(result.stderr()).isEqualTo("tail\n");
            assertThat(vm.exec("echo still here").stdout()).isEqualTo("still here\n");
        }
    }

    @Nested
    class Consumers {

        @Test
        void a_consumer_sees_every_chunk_in_order_and_the_result_still_holds_everything() {
            List<OutputFrame> frames = new ArrayList<>();
            ExecResult result = vm.exec("echo first; sleep 1; echo second; echo oops >&2; sleep 1; echo third",
                    ExecOptions.defaults().withOutputConsumer(frames::add));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            frames.forEach(frame -> (frame.type() == OutputFrame.Type.STDOUT ? out : err).writeBytes(frame.bytes()));
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("first\nsecond\nthird\n").isEqualTo(result.stdout());
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("oops\n").isEqualTo(result.stderr());
            // written a second apart, while the command ran: not one chunk at the end
            assertThat(frames.stream().filter(frame -> frame.type() == OutputFrame.Type.STDOUT)).hasSizeGreaterThanOrEqualTo(3);
        }

        @Test
        void a_consumer_that_throws_is_reported_after_the_command_ran_to_its_end() {
            assertThatThrownBy(() -> vm.exec("echo one; sleep 1; echo two; touch /tmp/ran-to-the-end",
                    ExecOptions.defaults().withOutputConsumer(frame -> {
                        throw new IllegalStateException("consumer broke");
                    })))
                    .isInstanceOf(V86Exception.class)
                    .hasMessageContaining("The output consumer of \"echo one; sleep 1; echo two; touch /tmp/ran-to-the-end\" threw java.lang.IllegalStateException: consumer broke")
                    .hasMessageContaining("two")
                    .hasCauseInstanceOf(IllegalStateException.class);
            assertThat(vm.exec("test -e /tmp/ran-to-the-end").exitCode()).isZero();
        }

        @Test
        void a_timeout_keeps_the_output_so_far_and_the_next_command_sees_none_of_it() {
            assertThatThrownBy(() -> vm.exec("echo before; i=0; while :; do echo line $i; i=$((i+1)); done",
                    ExecOptions.defaults().withTimeout(java.time.Duration.ofSeconds(2))))
                    .isInstanceOfSatisfying(ExecTimeoutException.class, e -> assertThat(e.partialStdout()).startsWith("before\nline 0\n"));
            assertThat(vm.exec("echo clean").stdout()).isEqualTo("clean\n");
        }
    }
}
