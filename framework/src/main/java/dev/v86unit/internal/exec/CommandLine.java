package dev.v86unit.internal.exec;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every line and script the framework makes the guest's shell run, in one place.
 *
 * <p><b>Output.</b> A command's stdout and stderr go to two FIFOs, {@code /run/v86unit/o} and
 * {@code /e}, which the control shell holds open as fds 8 and 9. One forwarder per FIFO, started
 * once ({@link #PROTOCOL}), copies what it reads to a file on the 9p share with {@code dd
 * bs=65536}, at nice 19: it runs when the command leaves the CPU, so it reads large chunks. A pipe
 * write costs the guest about what a write to tmpfs costs, where each small write straight to a 9p
 * file cost ~0.4-0.9 ms of emulated I/O (measured: {@code seq 1 20000} made 20,000 9p writes that
 * way, and 9 through the forwarder). The Node host intercepts the writes to those files and
 * streams the bytes; the command's end is a marker with a fresh nonce written into both FIFOs.
 *
 * <p><b>Isolation.</b> A command runs in a subshell, so {@code cd}, variables and {@code exit} never
 * leak into the next one. The fork costs ~5 ms in the emulator, so a command that cannot change the
 * shell's state (see {@link #evalSafe}) runs with {@code eval} in the control shell itself.
 */
public final class CommandLine {

    /** Longest inline command; a tty line holds 4095 characters, and quoting adds a few. */
    static final int MAX_INLINE = 2000;

    /** Where the guest mounts the 9p share. */
    public static final String GUEST_SHARE = "/mnt/v86unit";
    /** The exchange folder inside the share, as the host sees it. */
    public static final String IO = "/.v86unit";

    /**
     * Sets {@code w} to {@code oflag=dsync} on a root that the guest caches (kernel command line
     * {@code v86unit.rootcache=loose}), else to nothing, without a fork: there a write would reach the
     * host only at writeback (measured: 30 s later, the dirty page expiry), and the host streams what
     * arrives; O_DIRECT does not help (on cache=loose it is buffered all the same, measured). A page
     * written back again from its start is cut to what is new by the host (see streams.mjs).
     */
    static final String SYNC_FLAG = "read -r w </proc/cmdline; case \" $w \" in *\" v86unit.rootcache=loose \"*) w=oflag=dsync;; *) w=;; esac; ";

    /** What the perl forwarders make each FIFO or pipe hold (F_SETPIPE_SZ; the default 64 KB blocked the writer sooner). */
    private static final String PIPE_BYTES = "1048576";
    /** The most the perl forwarders read at once, each read one 9p write: under the mounts' msize of 512,000. */
    private static final String READ_BYTES = "458752";

    /**
     * The forwarder for a root that the guest caches: one process for both of the control shell's
     * FIFOs. Its arguments are the mode to open the FIFOs with, 2 (O_RDWR: FIFOs that never end, as
     * the control shell's) or 0 (O_RDONLY: FIFOs that end when their writers close them), then pairs of
     * an output file and a FIFO. Each file is opened with O_DIRECT, so that each chunk read reaches
     * the host as one 9p write. It makes each FIFO hold 1 MB (F_SETPIPE_SZ, 1031) and reads up to
     * 448 KB at a time (the mounts' msize is 512,000): {@code seq 1 200000} on debian made 3-4 9p
     * writes instead of 20 of 64 KB, and ~1.1 million guest instructions fewer (20.0 against 21.1
     * million; 18.8 to /dev/null). dd cannot do this: with {@code oflag=dsync} the page cache
     * writes the file back a page at a time (measured: {@code seq 1 200000} on debian made 335 9p
     * writes of 4 KB, 615 ms against 131 ms to /dev/null; 20 writes and 183 ms this way), and GNU dd
     * turns O_DIRECT off for good at its first write shorter than its block size. A perl program, as
     * perl is Essential in Debian (perl-base); without perl the forwarders are a dd per stream. The
     * flags are i386 Linux's O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT as a number (16961), which spares
     * loading Fcntl. It makes itself a session of its own at nice 19 first (i386's setsid is system
     * call 66), which spares starting {@code setsid} and {@code renice}; one process for both streams
     * is one perl start less (a cold boot did not change measurably with it, four alternated pairs). It reads
     * whichever FIFO has data (select), ends when all its FIFOs have ended, never on an interrupted
     * call. A file on the share, as {@link #FORWARDERS} is.
     */
    static final String DIRECT_WRITER = "syscall(66); setpriority(0, 0, 19); $m = shift;\n"
            + "for ($k = 0; $k < @ARGV; $k += 2) { sysopen(my $o, $ARGV[$k], 16961) or die; sysopen(my $i, $ARGV[$k + 1], $m) or die; fcntl($i, 1031, " + PIPE_BYTES + "); push @s, [$i, $o] }\n"
            + "while (@s) { $r = ''; vec($r, fileno($$_[0]), 1) = 1 for @s; select($r, undef, undef, undef) > 0 or next;\n"
            + "  for $s (@s) { vec($r, fileno($$s[0]), 1) or next; $n = sysread($$s[0], $b, " + READ_BYTES + "); defined $n or next; if (!$n) { $$s[2] = 1; next }\n"
            + "    for ($d = 0; $d < $n; $d += $w) { defined($w = syswrite($$s[1], $b, $n - $d, $d)) or die } }\n"
            + "  @s = grep { !$$_[2] } @s }\n";

    /** Where the host puts {@link #DIRECT_WRITER}, as the host sees the share. */
    static final String FORWARDER = IO + "/forward.pl";

    /**
     * A background job's runner where {@link #DIRECT_WRITER} runs (perl, a root that the guest caches):
     * one perl process instead of the shell runner's mkfifo, two forwarders, setsid, sleep, rm and dd,
     * each a program read from the 9p root (on debian 30-170 ms each, measured; a background
     * {@code echo} from start to exit code: 316-354 ms against 408-549 ms, medians of 20, three
     * alternated pairs). Its argument is the job's folder (guest
     * path). It forks the job in a session of its own ({@code sh -c '. cmd'}, stdin /dev/null, stdout
     * and stderr pipes), writes its process group id to {@code pid}, then at nice 19 forwards both
     * pipes as {@link #DIRECT_WRITER} does (O_DIRECT) into {@code o} and {@code e} until both end, or
     * for at most a second after the job ended (a process it started in the background may hold
     * them), and writes the exit code ({@code 128 + signal} if a signal ended it) to {@code rc}. The
     * job's end interrupts its wait (SIGCHLD); it also looks once a second, for a SIGCHLD that came
     * just before it waited.
     */
    static final String JOB_RUNNER = "$d = $ARGV[0]; sub put { my $h; sysopen($h, \"$d/$_[0]\", $_[2]) and syswrite($h, $_[1]) }\n"
            + "pipe(OR, OW) and pipe(ER, EW) or put('rc', 255, 16961), exit 1;\n"
            + "$SIG{CHLD} = sub {};\n"
            + "defined($pid = fork) or put('rc', 255, 16961), exit 1;\n"
            + "if (!$pid) { $SIG{CHLD} = 'DEFAULT'; syscall(66); open(STDIN, '<', '/dev/null'); open(STDOUT, '>&OW'); open(STDERR, '>&EW');\n"
            + "  close OR; close ER; close OW; close EW; exec('sh', '-c', '. \"$1\"', 'sh', \"$d/cmd\"); exit 127 }\n"
            + "close OW; close EW; fcntl(OR, 1031, " + PIPE_BYTES + "); fcntl(ER, 1031, " + PIPE_BYTES + "); setpriority(0, 0, 19); put('pid', \"$pid\\n\", 577);\n"
            + "sysopen(O, \"$d/o\", 16961) and sysopen(E, \"$d/e\", 16961) or kill('KILL', -$pid), put('rc', 255, 16961), exit 1;\n"
            + "@s = ([\\*OR, \\*O], [\\*ER, \\*E]); $left = 1;\n"
            + "while (@s && $left > 0) {\n"
            + "  if (!defined $rc && waitpid($pid, 1) == $pid) { $rc = $? & 127 ? 128 + ($? & 127) : $? >> 8 }\n"
            + "  $r = ''; vec($r, fileno($$_[0]), 1) = 1 for @s; ($n, $t) = select($r, undef, undef, defined $rc ? $left : 1);\n"
            + "  $left = $t if defined $rc && $n >= 0; $n > 0 or next;\n"
            + "  for $s (@s) { vec($r, fileno($$s[0]), 1) or next; $n = sysread($$s[0], $b, " + READ_BYTES + "); defined $n or next; if (!$n) { $$s[2] = 1; next }\n"
            + "    for ($o = 0; $o < $n; $o += $w) { defined($w = syswrite($$s[1], $b, $n - $o, $o)) or last } }\n"
            + "  @s = grep { !$$_[2] } @s }\n"
            + "if (!defined $rc) { waitpid($pid, 0); $rc = $? & 127 ? 128 + ($? & 127) : $? >> 8 }\n"
            + "put('rc', $rc, 16961);\n";

    /** Where the host puts {@link #JOB_RUNNER}, as the host sees the share. */
    static final String JOB_RUNNER_FILE = IO + "/job.pl";

    /**
     * After {@link #SYNC_FLAG}: sets {@code p} to the guest path of {@link #FORWARDER} where the root is
     * cached, perl exists and so does the file; else to nothing.
     */
    static final String DIRECT_FLAG = "p=" + GUEST_SHARE + FORWARDER + "; [ -n \"$w\" ] && [ -f $p ] && command -v perl >/dev/null 2>&1 || p=; ";

    /**
     * The script that starts the forwarders of the control shell's FIFOs, as the host sees the share
     * (run by protocol mode until they have started once: {@code /run/v86unit/forwarding}). The FIFOs
     * are made by the initramfs's init with its busybox, which is in memory; made here only if they are
     * missing. The forwarders are sessions of their own at nice 19: {@link #DIRECT_WRITER} for both
     * FIFOs on a root that the guest caches, else (and if it fails, or there is no perl) a {@code dd}
     * per FIFO under {@code setsid} and {@code renice}, with {@link #SYNC_FLAG}'s flag.
     */
    static final String FORWARDERS = IO + "/forwarders";

    static final String FORWARDERS_SCRIPT = "[ -p /run/v86unit/o ] || { mkdir -p /run/v86unit && mkfifo /run/v86unit/o /run/v86unit/e; } || exit 1\n"
            + SYNC_FLAG + "\n"
            + DIRECT_FLAG + "\n"
            + "d=" + GUEST_SHARE + IO + "\n"
            + "{ [ -n \"$p\" ] && perl \"$p\" 2 $d/so /run/v86unit/o $d/se /run/v86unit/e\n"
            + "  for s in o e; do\n"
            + "    setsid sh -c 'renice -n 19 -p $$ >/dev/null 2>&1; while :; do dd bs=65536 $1 of=$2 0<>/run/v86unit/$3 2>/dev/null; done' sh \"$w\" $d/s$s $s &\n"
            + "  done\n"
            + "} </dev/null >/dev/null 2>&1 &\n"
            + ": > /run/v86unit/forwarding\n";

    /**
     * What protocol mode runs, a file on the share (as the host sees it): stdout to the console (init
     * starts the control shell with stdout on /dev/null, so that a shell with stdio, busybox's, decides
     * at its first write to buffer stdout fully, as a script's: its applets keep that decision, and
     * line-buffered, {@code seq 1 200000} made 200,000 writes and took twice as long); no echo,
     * output bytes unchanged
     * (unless the initramfs set that already), no prompts; the forwarders (started once per boot; {@link #FORWARDERS}), fds 8 and 9
     * on the FIFOs, and the shell functions that {@link #line} calls, so that a command line is short:
     * typed bytes cost the guest time (measured on busybox: {@code true} took 7-10 ms as a 130-character
     * line and 3-7 ms as {@code _v86e <nonce> 'true'} while the emulator's JIT was warming up; once warm,
     * both about 2.5 ms). {@code _v86m} writes the end markers; {@code _v86e} evals in the control
     * shell, {@code _v86s} in a subshell (with no positional parameters, as at top level), {@code _v86f}
     * sources a command file in a subshell and removes it; {@code _v86y} writes the start markers.
     */
    static final String PROTOCOL = IO + "/protocol";

    static final String PROTOCOL_SCRIPT = "exec 1>&2\n"
            + "[ -e /run/v86unit/tty ] || stty -echo -opost; PS1=''; PS2=''\n"
            + "[ -e /run/v86unit/forwarding ] || sh " + GUEST_SHARE + FORWARDERS + "\n"
            + "exec 8<>/run/v86unit/o 9<>/run/v86unit/e\n"
            + "_v86m() { printf '" + Sentinels.PREFIX + "%s_E%03d" + Sentinels.SUFFIX + "' \"$1\" \"$2\" >&8; printf '"
            + Sentinels.PREFIX + "%s_E000" + Sentinels.SUFFIX + "' \"$1\" >&9; }\n"
            + "_v86e() { eval \"$2\" >&8 2>&9 8>&- 9>&- </dev/null; _v86m \"$1\" $?; }\n"
            + "_v86s() { ( _v86c=$2; set --; eval \"unset _v86c; $_v86c\" ) >&8 2>&9 8>&- 9>&- </dev/null; _v86m \"$1\" $?; }\n"
            + "_v86f() { ( _v86c=$2; set --; eval \"unset _v86c; . $_v86c\" ) >&8 2>&9 8>&- 9>&- </dev/null; set -- \"$1\" $? \"$2\"; rm -f \"$3\"; _v86m \"$1\" $2; }\n"
            + "_v86y() { printf '" + Sentinels.PREFIX + "%s_S000" + Sentinels.SUFFIX + "' \"$1\" >&8; printf '"
            + Sentinels.PREFIX + "%s_S000" + Sentinels.SUFFIX + "' \"$1\" >&9; }\n";

    /**
     * Typed when a control shell starts (after a cold boot, or after a command ended the shell): it
     * sources {@link #PROTOCOL}. Short, because a line is typed while the shell's line editor still
     * echoes it: the 631 characters that protocol mode was until it became a file took 0.3 s of a
     * cold boot to echo (busybox, measured from the console's timestamps). The files of
     * {@link #guestFiles()} must be on the share first.
     */
    public static final String PROTOCOL_MODE = ". " + GUEST_SHARE + PROTOCOL + "; ";

    /**
     * {@link #PROTOCOL_MODE} for a control shell that init started after a command ended ours: the
     * tty's modes are set again first. At a cold boot the initramfs has set them ({@link #PROTOCOL}
     * skips its {@code stty} when {@code /run/v86unit/tty} exists, which saves starting a program
     * from the 9p root: 0.26-0.33 s on debian), but a command may have changed them since.
     */
    public static final String PROTOCOL_MODE_AGAIN = "stty -echo -opost; " + PROTOCOL_MODE;

    /**
     * @return the files that protocol mode runs, by their path on the share as the host sees it
     *         ({@link #PROTOCOL}, {@link #FORWARDERS}, {@link #FORWARDER}); the host writes them before it
     *         types {@link #PROTOCOL_MODE}
     */
    public static Map<String, String> guestFiles() {
        return Map.of(PROTOCOL, PROTOCOL_SCRIPT, FORWARDERS, FORWARDERS_SCRIPT, FORWARDER, DIRECT_WRITER, JOB_RUNNER_FILE, JOB_RUNNER);
    }

    /** Special builtins and the other builtins that change the shell they run in. */
    private static final Set<String> STATEFUL = Set.of(".", ":", "source", "eval", "exec", "exit", "return", "cd", "pushd", "popd",
            "set", "unset", "export", "readonly", "local", "declare", "typeset", "shift", "trap", "ulimit", "umask", "alias",
            "unalias", "read", "getopts", "hash", "wait", "jobs", "fg", "bg", "disown", "builtin", "command", "let", "enable",
            "break", "continue", "history", "fc", "times", "shopt", "stty", "kill");
    /** Words, spaces, and the operators {@code | || && ; > >> < 2>&1}; no quotes, expansions or groups. */
    private static final Pattern SIMPLE = Pattern.compile("[A-Za-z0-9 _./:,+=@%^~\\-|;<>&*?\\[\\]]*");
    private static final Pattern SEPARATORS = Pattern.compile("\\|\\||&&|[|;]");

    private CommandLine() {
    }

    /** @return true if {@code command} can be typed into the tty as it is, inside single quotes */
    public static boolean inlinable(String command) {
        if (command.length() > MAX_INLINE) {
            return false;
        }
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if ((c < 0x20 && c != '\n') || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /**
     * A command is safe to run in the control shell itself when it cannot change that shell: one line
     * of plain words and redirections joined by pipes, {@code ;}, {@code &&} or {@code ||}, whose
     * commands are not builtins that change the shell, without assignments, quotes, {@code $},
     * subshells, groups or background jobs. Anything else runs in a subshell, which behaves the same
     * and costs a fork.
     */
    public static boolean evalSafe(String command) {
        if (command.isBlank() || command.length() > MAX_INLINE || !SIMPLE.matcher(command).matches()) {
            return false;
        }
        // '&' only in '&&' or a redirection such as 2>&1
        String withoutAnd = command.replace("&&", "").replaceAll("[0-9]?[<>]&[0-9-]", "");
        if (withoutAnd.contains("&")) {
            return false;
        }
        for (String part : SEPARATORS.split(command, -1)) {
            String[] words = part.trim().split(" +");
            if (words[0].isEmpty() || STATEFUL.contains(words[0]) || words[0].contains("=") || words[0].matches("[0-9]*[<>].*")) {
                return false;
            }
        }
        return true;
    }

    /** @return the text as one single-quoted shell word: {@code it's} becomes {@code 'it'\''s'} */
    public static String singleQuoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /**
     * The line that runs one command with stdout and stderr into the FIFOs and then writes the end
     * markers; with {@code sync}, start markers go first (the host drops what comes before them:
     * what an interrupted command left in the FIFOs).
     *
     * @param command    the command, when it goes inline; null when it was written to {@link #scriptPath()}
     * @param nonce      fresh per command
     */
    public static String line(String command, String nonce, boolean sync) {
        String start = sync ? "_v86y " + nonce + "; " : "";
        if (command == null) {
            return start + "_v86f " + nonce + " " + GUEST_SHARE + scriptPath(nonce) + "\n";
        }
        return start + (evalSafe(command) ? "_v86e " : "_v86s ") + nonce + " " + singleQuoted(command) + "\n";
    }

    /**
     * @return where command {@code nonce}, if it does not go inline, is written, as the host sees the
     *         share: under a fresh name, as everything the host writes for the guest (a guest with a
     *         cached root would keep reading the old contents of a rewritten file)
     */
    public static String scriptPath(String nonce) {
        return IO + "/cmd-" + nonce;
    }

    /** @return the folder on the share of background job {@code job}, as the host sees it */
    public static String jobFolder(int job) {
        return IO + "/bg/" + job;
    }

    /**
     * The runner of background job {@code job}: its command ({@code cmd} in the job's folder) in a
     * session of its own (so that {@link #killJob} reaches its whole process tree), stdout and stderr
     * through FIFOs and low-priority forwarders as for {@link #line}, its process group id in
     * {@code pid}, and its exit code in {@code rc} once it ends (and its output has drained, for a
     * second at most). What the host reads (output, exit code) is written with {@link #SYNC_FLAG}'s flag.
     */
    public static String jobRunner(int job) {
        String d = GUEST_SHARE + jobFolder(job);
        String r = "/run/v86unit/b" + job;
        return "d=" + d + "; r=" + r + "\n"
                + SYNC_FLAG + "\n"
                + DIRECT_FLAG + "\n"
                + "j=" + GUEST_SHARE + JOB_RUNNER_FILE + "; [ -n \"$p\" ] && [ -f $j ] && exec perl $j $d\n"
                + "x() { printf %d \"$1\" | dd $w of=$d/rc 2>/dev/null; }\n"
                + "mkfifo $r.o $r.e || { x 255; exit 1; }\n"
                + "f='renice -n 19 -p $$ >/dev/null 2>&1; exec dd bs=65536 $3 of=\"$1\" <\"$2\" 2>/dev/null'\n"
                + "sh -c \"$f\" sh $d/o $r.o \"$w\" & a=$!\n"
                + "sh -c \"$f\" sh $d/e $r.e \"$w\" & b=$!\n"
                + "setsid sh -c '. \"$1\"' sh $d/cmd >$r.o 2>$r.e </dev/null &\n"
                + "p=$!\n"
                + "echo $p >$d/pid\n"
                + "wait $p\n"
                + "rc=$?\n"
                + "( sleep 1; kill $a $b ) >/dev/null 2>&1 &\n"
                + "k=$!\n"
                + "wait $a $b 2>/dev/null\n"
                + "kill $k 2>/dev/null\n"
                + "rm -f $r.o $r.e\n"
                + "x $rc\n";
    }

    /** @return the command that starts background job {@code job} (run in a subshell, so no job messages) */
    public static String startJob(int job) {
        return "sh " + GUEST_SHARE + jobFolder(job) + "/run </dev/null >/dev/null 2>&1 &";
    }

    /**
     * @return the command that sends {@code signal} to the process group of background job {@code job}:
     *         {@code kill -TERM -<pgid>}, which busybox and dash both read (dash reads {@code kill -s
     *         TERM -<pgid>} as options after {@code -s} and refused it: no debian job was ever killed)
     */
    public static String killJob(int job, String signal) {
        return "p=$(cat " + GUEST_SHARE + jobFolder(job) + "/pid 2>/dev/null) && kill -" + signal + " -$p 2>/dev/null; true";
    }
}
