package dev.v86unit;

import java.time.Duration;

/**
 * A command running in the background of a guest ({@link V86Machine#execInBackground}), in a session
 * of its own, while other commands go on. Its stdout and stderr are collected as they come.
 * Resetting or restoring the machine, or closing it, ends it; so does {@link #kill()}.
 *
 * <pre>{@code
 * GuestProcess server = vm.execInBackground("python3 -m http.server 8000");
 * server.waitForOutput("Serving HTTP", Duration.ofSeconds(30));
 * vm.waitUntilSucceeds("wget -q -O- http://127.0.0.1:8000/ >/dev/null", Duration.ofSeconds(30));
 * server.kill();
 * assertThat(server.isAlive()).isFalse();
 * }</pre>
 */
public interface GuestProcess {

    /** @return the command as given */
    String command();

    /** @return true until the command has ended, was killed, or the machine was reset, restored or closed */
    boolean isAlive();

    /**
     * Waits for the command to end.
     *
     * @return its exit code (128 + n if signal n ended it)
     * @throws ExecTimeoutException if it still runs after {@code timeout} (it goes on running); carries the output so far
     * @throws V86Exception         if a reset, restore or close of the machine ended it: it has no exit code
     */
    int waitFor(Duration timeout);

    /**
     * Waits until stdout or stderr contains a match of {@code regex} (searched with
     * {@link java.util.regex.Matcher#find()}, so {@code "Serving HTTP"} is enough).
     *
     * @return the matched text
     * @throws V86Exception if it does not appear in time, or the command ends first (the message has the output so far)
     */
    String waitForOutput(String regex, Duration timeout);

    /**
     * Ends the command and everything it started (its process group): SIGTERM, then SIGKILL after 2
     * seconds if it is still alive. The exit code and the output so far stay readable. Does nothing
     * if it has ended.
     */
    void kill();

    /** @return its stdout so far, decoded as UTF-8 */
    String stdout();

    /** @return its stderr so far, decoded as UTF-8 */
    String stderr();
}
