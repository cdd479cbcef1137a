package dev.v86unit;

import dev.v86unit.internal.text.Excerpts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A command ran longer than its timeout. It was interrupted (Ctrl-C on the guest's console, then
 * harder means if it would not stop), and the machine is usable again for the next
 * {@link V86Machine#exec(String)}. Carries what the command had written before it was stopped.
 *
 * <pre>{@code
 * try {
 *     vm.exec("tail -f /var/log/app.log", Duration.ofSeconds(2));
 * } catch (ExecTimeoutException e) {
 *     assertThat(e.partialStdout()).contains("started");
 * }
 * }</pre>
 */
public class ExecTimeoutException extends V86Exception {

    private final String command;
    private final Duration timeout;
    private final byte[] partialStdout;
    private final byte[] partialStderr;

    public ExecTimeoutException(String command, Duration timeout, byte[] partialStdout, byte[] partialStderr) {
        super("Command timed out after " + Excerpts.duration(timeout) + ": " + Excerpts.quote(command)
                + "\n  stdout so far: " + Excerpts.quote(new String(partialStdout, StandardCharsets.UTF_8))
                + "\n  stderr so far: " + Excerpts.quote(new String(partialStderr, StandardCharsets.UTF_8)));
        this.command = command;
        this.timeout = timeout;
        this.partialStdout = partialStdout.clone();
        this.partialStderr = partialStderr.clone();
    }

    /** @return the command that timed out */
    public String command() {
        return command;
    }

    /** @return the timeout it exceeded */
    public Duration timeout() {
        return timeout;
    }

    /** @return what the command wrote to stdout before it was stopped, decoded as UTF-8 */
    public String partialStdout() {
        return new String(partialStdout, StandardCharsets.UTF_8);
    }

    /** @return what the command wrote to stderr before it was stopped, decoded as UTF-8 */
    public String partialStderr() {
        return new String(partialStderr, StandardCharsets.UTF_8);
    }

    /** @return a copy of the stdout bytes written before the command was stopped */
    public byte[] partialStdoutBytes() {
        return partialStdout.clone();
    }

    /** @return a copy of the stderr bytes written before the command was stopped */
    public byte[] partialStderrBytes() {
        return partialStderr.clone();
    }
}
