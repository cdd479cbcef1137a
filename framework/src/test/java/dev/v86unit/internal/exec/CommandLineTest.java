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
    void a_command_that_can_change_the_shell_runs_in_a_subshell() {
        assertThat(CommandLine.line("cd /tmp", "0123456789abcdef", false)).isEqualTo("_v86s 0123456789abcdef 'cd /tmp'\n");
    }

    @Test
    void a_plain_command_runs_with_eval_in_the_control_shell() {
        assertThat(CommandLine.line("ls -la /tmp", "0123456789abcdef", false)).isEqualTo("_v86e 0123456789abcdef 'ls -la /tmp'\n");
    }

    @Test
    void a_command_in_a_file_is_sourced_in_a_subshell() {
        assertThat(CommandLine.line(null, "0123456789abcdef", false))
                .isEqualTo("_v86f 0123456789abcdef /mnt/v86unit/.v86unit/cmd-0123456789abcdef\n");
    }

    @Test
    void after_an_interrupted_command_the_next_line_starts_with_start_markers() {
        assertThat(CommandLine.line("true", "0123456789abcdef", true)).isEqualTo("_v86y 0123456789abcdef; _v86e 0123456789abcdef 'true'\n");
    }

    @Test
    void the_protocol_functions_write_the_markers_the_host_scans_for() {
        assertThat(CommandLine.guestFiles().get("/.v86unit/protocol"))
                .contains("_v86m() { printf '__V86_%s_E%03d__' \"$1\" \"$2\" >&8; printf '__V86_%s_E000__' \"$1\" >&9; }\n")
                .contains("_v86y() { printf '__V86_%s_S000__' \"$1\" >&8; printf '__V86_%s_S000__' \"$1\" >&9; }\n");
        assertThat(String.format("__V86_%s_E%03d__", "0123456789abcdef", 7)).isEqualTo(Markers.end("0123456789abcdef", 7));
        assertThat(String.format("__V86_%s_S000__", "0123456789abcdef")).isEqualTo(Markers.start("0123456789abcdef"));
    }

    @Test
    void protocol_mode_is_a_short_line_that_sources_a_file_on_the_share() {
        // typed while the shell's line editor still echoes it (stty -echo is in the file): each character costs
        assertThat(CommandLine.PROTOCOL_MODE).isEqualTo(". /mnt/v86unit/.v86unit/protocol; ");
        assertThat(CommandLine.PROTOCOL_MODE_AGAIN).isEqualTo("stty -echo -opost; . /mnt/v86unit/.v86unit/protocol; ");
        // stdout back on the console (init starts the shell with it on /dev/null, so that busybox's
        // applets buffer it fully); at a cold boot the initramfs has set the tty's modes (and said so)
        assertThat(CommandLine.guestFiles().get("/.v86unit/protocol")).startsWith("exec 1>&2\n[ -e /run/v86unit/tty ] || stty -echo -opost; PS1=''; PS2=''\n")
                .contains("exec 8<>/run/v86unit/o 9<>/run/v86unit/e\n");
    }

    @Test
    void protocol_mode_starts_the_forwarders_from_a_file_that_the_host_writes_first() {
        assertThat(CommandLine.guestFiles().get("/.v86unit/protocol")).contains("[ -e /run/v86unit/forwarding ] || sh /mnt/v86unit/.v86unit/forwarders\n");
        assertThat(CommandLine.guestFiles()).containsOnlyKeys("/.v86unit/protocol", "/.v86unit/forwarders", "/.v86unit/forward.pl", "/.v86unit/job.pl");
        assertThat(CommandLine.guestFiles().get("/.v86unit/forwarders"))
                .contains("p=/mnt/v86unit/.v86unit/forward.pl; ")
                .contains("renice -n 19")
                // one perl for both FIFOs, opened read-write (they never end); a dd per FIFO without perl
                .contains("perl \"$p\" 2 $d/so /run/v86unit/o $d/se /run/v86unit/e\n")
                .contains("dd bs=65536 $1 of=$2 0<>/run/v86unit/$3")
                .endsWith(": > /run/v86unit/forwarding\n");
        // i386 Linux: O_WRONLY 01 | O_CREAT 0100 | O_TRUNC 01000 | O_DIRECT 040000
        assertThat(CommandLine.guestFiles().get("/.v86unit/forward.pl")).contains("sysopen(my $o, $ARGV[$k], " + (01 | 0100 | 01000 | 040000) + ")")
                .contains("sysopen(my $i, $ARGV[$k + 1], $m)")
                // i386 Linux: setsid is system call 66; then nice 19
                .startsWith("syscall(66); setpriority(0, 0, 19); $m = shift;\n");
        // a background job on such a root: one perl runs it and forwards its output (no FIFOs); else the shell runner
        assertThat(CommandLine.jobRunner(3)).contains("j=/mnt/v86unit/.v86unit/job.pl; [ -n \"$p\" ] && [ -f $j ] && exec perl $j $d\n")
                .contains("mkfifo $r.o $r.e");
        assertThat(CommandLine.guestFiles().get("/.v86unit/job.pl")).contains("syscall(66)").contains("setpriority(0, 0, 19)")
                .contains("sysopen(O, \"$d/o\", 16961)").endsWith("put('rc', $rc, 16961);\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "ls -la /tmp", "python3 -V", "seq 1 200000", "cat /etc/os-release | grep -c ID && echo ok",
            "make -C /src check 2>&1", "grep -r foo /etc >/tmp/x; wc -l /tmp/x", "ls /tmp/*.txt", "test -e /x || echo missing"})
    void commands_that_cannot_change_the_shell_are_safe_to_eval(String command) {
        assertThat(CommandLine.evalSafe(command)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cd /tmp", "exit 3", "X=1", "X=1 env", "export A=b", "echo $HOME", "echo 'a'", "sleep 10 &",
            "(cd /tmp)", "{ true; }", "f() { true; }", ". /etc/profile", "source x", "eval ls", "exec ls", "set -e",
            "trap '' INT", "umask 077", "read x", "true; cd /", "ls | read x", "echo `id`", "a\nb", "ulimit -n 10",
            "kill $$", "echo a\\b", "shift", "unset PATH", "alias x=y", "wait", "stty raw", "echo ${x:=1}", ""})
    void commands_that_could_change_the_shell_run_in_a_subshell(String command) {
        assertThat(CommandLine.evalSafe(command.replace("\\n", "\n"))).isFalse();
    }
}
