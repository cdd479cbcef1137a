package dev.v86unit.examples;

import static dev.v86unit.assertj.V86Assertions.assertThat;

import dev.v86unit.V86Machine;
import dev.v86unit.junit.V86Vm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A shell script under test: src/test/resources/scripts/wordfreq.sh is installed in the guest once,
 * then exercised like a user would, including its error paths.
 */
@V86Vm(image = "busybox")
class ShellScriptTest {

    @BeforeAll
    static void installScript(V86Machine vm) throws IOException {
        String script;
        try (InputStream in = ShellScriptTest.class.getResourceAsStream("/scripts/wordfreq.sh")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // A quoted heredoc copies the script byte for byte (any length: commands travel as files).
        assertThat(vm.exec("mkdir -p /usr/local/bin && cat > /usr/local/bin/wordfreq.sh <<'V86UNIT_EOF'\n"
                + script + "V86UNIT_EOF\nchmod 755 /usr/local/bin/wordfreq.sh")).succeeds();
        assertThat(vm.exec("printf 'the cat and the dog and THE bird\\n' > /tmp/words.txt")).succeeds();
    }

    @Test
    void counts_the_most_frequent_words(V86Machine vm) {
        assertThat(vm.exec("wordfreq.sh /tmp/words.txt 2"))
                .succeeds()
                .stdout().isEqualTo("3 the\n2 and\n");
    }

    @Test
    void rejects_bad_usage_with_exit_code_2(V86Machine vm) {
        assertThat(vm.exec("wordfreq.sh /tmp/words.txt"))
                .hasExitCode(2)
                .stderr().startsWith("usage: wordfreq.sh");
    }

    @Test
    void reports_a_missing_file_with_exit_code_3(V86Machine vm) {
        assertThat(vm.exec("wordfreq.sh /tmp/missing.txt 5"))
                .hasExitCode(3)
                .stderr().isEqualTo("wordfreq.sh: cannot read /tmp/missing.txt\n");
    }
}
