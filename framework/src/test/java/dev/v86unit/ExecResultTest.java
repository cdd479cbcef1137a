package dev.v86unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExecResultTest {

    @Test
    void is_an_immutable_value_over_exact_bytes() {
        byte[] out = {'h', 'i', (byte) 0xff};
        ExecResult result = new ExecResult("echo hi", 0, out, new byte[0], Duration.ofMillis(5));
        out[0] = 'X';
        result.stdoutBytes()[1] = 'X';
        assertThat(result.stdoutBytes()).containsExactly('h', 'i', 0xff);
        assertThat(result.stdout()).isEqualTo("hi\uFFFD");
        assertThat(result).isEqualTo(new ExecResult("echo hi", 0, new byte[] {'h', 'i', (byte) 0xff}, new byte[0], Duration.ofMillis(5)));
    }

    @Test
    void describes_itself_with_escaped_excerpts_cut_in_the_middle() {
        String big = "a".repeat(3000) + "MIDDLE" + "b".repeat(3000);
        ExecResult result = new ExecResult("cat big", 1, big.getBytes(StandardCharsets.UTF_8), "oops\n".getBytes(StandardCharsets.UTF_8), Duration.ofMillis(12));
        assertThat(result.toString())
                .contains("command=\"cat big\"", "exitCode=1", "stderr=\"oops\\n\"", "characters cut")
                .doesNotContain("MIDDLE");
    }
}
