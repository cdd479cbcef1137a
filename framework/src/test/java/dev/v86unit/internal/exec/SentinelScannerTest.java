package dev.v86unit.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("SentinelScanner")
class SentinelScannerTest {

    private static final String NONCE = "0123456789abcdef";

    private final List<String> console = new ArrayList<>();
    private final SentinelScanner scanner = new SentinelScanner(console::add);

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Nested
    class Finds_the_sentinel {

        @ParameterizedTest(name = "exit code {0}")
        @ValueSource(ints = {0, 1, 42, 255})
        void with_the_exact_exit_code(int exitCode) {
            CompletableFuture<Integer> status = scanner.expect(NONCE);
            scanner.feed(ascii(Sentinels.line(NONCE, exitCode) + "\n"));
            assertThat(status).isCompletedWithValue(exitCode);
            assertThat(console).isEmpty();
        }

        @Test
        void when_chunks_are_split_at_every_possible_place() {
            byte[] stream = ascii("boot noise\r\nmore\n" + Sentinels.line(NONCE, 42) + "\n");
            for (int split = 0; split < stream.length; split++) {
                List<String> lines = new ArrayList<>();
                SentinelScanner fresh = new SentinelScanner(lines::add);
                CompletableFuture<Integer> status = fresh.expect(NONCE);
                fresh.feed(java.util.Arrays.copyOfRange(stream, 0, split));
                assertThat(status).as("after %d bytes", split).isNotDone();
                fresh.feed(java.util.Arrays.copyOfRange(stream, split, stream.length));
                assertThat(status).as("split at %d", split).isCompletedWithValue(42);
                assertThat(lines).containsExactly("boot noise", "more");
            }
        }

        @Test
        void when_fed_one_byte_at_a_time_in_random_chunks() {
            Random random = new Random(7);
            byte[] stream = ascii("x".repeat(5000) + "\n" + Sentinels.line(NONCE, 7) + "\n");
            CompletableFuture<Integer> status = scanner.expect(NONCE);
            int at = 0;
            while (at < stream.length) {
                int size = Math.min(stream.length - at, 1 + random.nextInt(64));
                scanner.feed(java.util.Arrays.copyOfRange(stream, at, at + size));
                at += size;
            }
            assertThat(status).isCompletedWithValue(7);
        }

        @Test
        void at_the_end_of_a_line_the_command_left_unfinished() {
            CompletableFuture<Integer> status = scanner.expect(NONCE);
            scanner.feed(ascii("no newline here" + Sentinels.line(NONCE, 3) + "\n"));
            assertThat(status).isCompletedWithValue(3);
            assertThat(console).containsExactly("no newline here");
        }

        @Test
        void with_a_carriage_return_before_the_newline() {
            CompletableFuture<Integer> status = scanner.expect(NONCE);
            scanner.feed(ascii(Sentinels.line(NONCE, 0) + "\r\n"));
            assertThat(status).isCompletedWithValue(0);
        }

        @Test
        void after_a_line_far_longer_than_the_line_buffer() {
            CompletableFuture<Integer> status = scanner.expect(NONCE);
            scanner.feed(ascii("y".repeat(SentinelScanner.MAX_LINE * 3 + 5) + Sentinels.line(NONCE, 9) + "\n"));
            assertThat(status).isCompletedWithValue(9);
            assertThat(String.join("", console)).hasSize(SentinelScanner.MAX_LINE * 3 + 5).matches("y+");
        }
    }

    @Nested
    class Is_not_fooled_by {

        @Test
        void a_sentinel_with_another_nonce() {
            CompletableFuture<Integer> status = scanner.expect(NONCE);
            scanner.feed(ascii(Sentinels.line("fedcba9876543210", 0) + "\n"));
            assertThat(status).isNotDone();
            assertThat(console).containsExactly(Sentinels.line("fedcba9876543210", 0));
        }

        @Test
        void the_sentinel_text_in_the_middle_of_a_line() {
            CompletableFuture<Integer> status = scanner.expect(NONCE);
            scanner.feed(ascii(Sentinels.line(NONCE, 1) + " and more\n"));
            assertThat(status).isNotDone();
        }

        @Test
        void the_echoed_printf_that_sets_it_up() {
            CompletableFuture<Integer> status = scanner.expect(NONCE);
            scanner.feed(ascii("stty -echo; " + Sentinels.printStatus(NONCE) + "\r\n"));
            assertThat(status).isNotDone();
        }

        @Test
        void a_sentinel_with_no_digits_or_too_many() {
            CompletableFuture<Integer> status = scanner.expect(NONCE);
            scanner.feed(ascii("__V86_" + NONCE + "___\n__V86_" + NONCE + "_1234__\n__V86_" + NONCE + "_x__\n"));
            assertThat(status).isNotDone();
            assertThat(console).hasSize(3);
        }

        @Test
        void a_sentinel_before_anyone_expects_it() {
            scanner.feed(ascii(Sentinels.line(NONCE, 0) + "\n"));
            CompletableFuture<Integer> status = scanner.expect(NONCE);
            assertThat(status).isNotDone();
        }

        @Test
        void binary_bytes_around_it() {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            for (int b = 0; b < 256; b++) {
                if (b != '\n') {
                    stream.write(b);
                }
            }
            stream.write('\n');
            stream.writeBytes(new byte[] {0, (byte) 0xff, (byte) 0xc3});
            stream.writeBytes(ascii(Sentinels.line(NONCE, 200) + "\n"));
            CompletableFuture<Integer> status = scanner.expect(NONCE);
            scanner.feed(stream.toByteArray());
            assertThat(status).isCompletedWithValue(200);
            assertThat(console).hasSize(2);
        }
    }

    @Test
    void fails_the_wait_in_flight_when_told_the_machine_failed() {
        CompletableFuture<Integer> status = scanner.expect(NONCE);
        scanner.fail(new IllegalStateException("host died"));
        assertThat(status).isCompletedExceptionally();
    }

    @Test
    void makes_a_fresh_sixteen_hex_digit_nonce_each_time() {
        String first = Sentinels.newNonce();
        assertThat(first).matches("[0-9a-f]{16}");
        assertThat(Sentinels.newNonce()).isNotEqualTo(first);
    }
}
