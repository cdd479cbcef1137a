package dev.v86unit.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @ParameterizedTest
    @ValueSource(strings = {"true", "echo 'hi' \"there\" $HOME; exit 3", "a\nb\nc", "printf '%s\\n' x | wc -c"})
    void plain_printable_ascii_goes_inline(String command) {
        assertThat(CommandLine.inlinable(command)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo a\tb", "printf '\u0003'", "echo a\rb", "echo grüße", "echo \u007f", "echo 🙂"})
    void control_characters_tabs_and_non_ascii_go_as_a_file(String command) {
        assertThat(CommandLine.inlinable(command)).isFalse();
    }

    @Test
    void long_commands_go_as_a_file() {
        assertThat(CommandLine.inlinable("x".repeat(CommandLine.MAX_INLINE))).isTrue();
        assertThat(CommandLine.inlinable("x".repeat(CommandLine.MAX_INLINE + 1))).isFalse();
    }

    @Test
    void single_quotes_are_closed_escaped_and_reopened() {
        assertThat(CommandLine.singleQuoted("it's")).isEqualTo("'it'\\''s'");
        assertThat(CommandLine.singleQuoted("''")).isEqualTo("''\\'''\\'''");
    }

    @Test
    void the_line_runs_a_subshell_with_redirects_and_prints_the_sentinel() {
        assertThat(CommandLine.line("eval 'true'", "/o", "/e", "0123456789abcdef"))
                .isEqualTo("( eval 'true' ) >/o 2>/e </dev/null; printf '__V86_0123456789abcdef_%d__\\n' $?\n");
    }
}
