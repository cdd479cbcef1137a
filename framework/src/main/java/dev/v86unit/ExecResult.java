package dev.v86unit;

import dev.v86unit.internal.exec.ResultFactory;
import dev.v86unit.internal.text.Excerpts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a command run in the guest did: its exit code, the exact bytes it wrote to stdout and
 * stderr, and how long it took. A plain immutable value; a non-zero exit code is a result, not an
 * exception.
 *
 * <pre>{@code
 * ExecResult result = vm.exec("grep -c root /etc/passwd");
 * if (result.exitCode() == 0) {
 *     int count = Integer.parseInt(result.stdout().trim());
 * }
 * }</pre>
 *
 * @param command     the command as given to {@link V86Machine#exec(String)}, never null
 * @param exitCode    the exit status, 0-255 (128 + n when a signal n ended the command)
 * @param stdoutBytes everything the command wrote to stdout, byte for byte, never null
 * @param stderrBytes everything the command wrote to stderr, byte for byte, never null
 * @param duration    from sending the command to having its output, never null
 */
public record ExecResult(String command, int exitCode, byte[] stdoutBytes, byte[] stderrBytes, Duration duration) {

    public ExecResult {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(duration, "duration");
        if (!ResultFactory.handingOver()) {
            stdoutBytes = stdoutBytes.clone();
            stderrBytes = stderrBytes.clone();
        }
    }

    /** @return stdout decoded as UTF-8 (malformed bytes become U+FFFD); see {@link #stdoutBytes()} */
    public String stdout() {
        return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    /** @return stderr decoded as UTF-8 (malformed bytes become U+FFFD); see {@link #stderrBytes()} */
    public String stderr() {
        return new String(stderrBytes, StandardCharsets.UTF_8);
    }

    /** @return a copy of the stdout bytes */
    @Override
    public byte[] stdoutBytes() {
        return stdoutBytes.clone();
    }

    /** @return a copy of the stderr bytes */
    @Override
    public byte[] stderrBytes() {
        return stderrBytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExecResult that
                && exitCode == that.exitCode
                && command.equals(that.command)
                && Arrays.equals(stdoutBytes, that.stdoutBytes)
                && Arrays.equals(stderrBytes, that.stderrBytes)
                && duration.equals(that.duration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(command, exitCode, Arrays.hashCode(stdoutBytes), Arrays.hashCode(stderrBytes), duration);
    }

    /** @return the command, exit code, duration and excerpts of both streams (long output is cut in the middle) */
    @Override
    public String toString() {
        return "ExecResult[command=" + Excerpts.quote(command) + ", exitCode=" + exitCode
                + ", duration=" + duration.toMillis() + " ms"
                + ", stdout=" + Excerpts.quote(stdout()) + ", stderr=" + Excerpts.quote(stderr()) + "]";
    }
}
