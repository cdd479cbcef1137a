package dev.v86unit;

import dev.v86unit.internal.machine.Machines;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A running i386 Linux machine, emulated by v86 in a Node process of its own. Unless its
 * {@link MachineSpec#snapshot()} is off, the first start of an image cold-boots and saves the
 * machine's state in the cache; every later start, in this JVM or another, restores it instead
 * (under a second, against several seconds for a boot). Commands run as
 * {@code sh} scripts in a fresh subshell of the guest's control shell, so each {@code exec} is
 * independent: {@code cd}, variables and {@code exit} do not leak into the next one. Their stdin is
 * empty. Methods may be called from any thread; calls on one machine run one at a time.
 *
 * <p>With JUnit 5, let {@code @V86Vm} start and close it; without, close it yourself:
 * <pre>{@code
 * try (V86Machine vm = V86Machine.start("busybox")) {
 *     ExecResult result = vm.exec("uname -m");
 *     assert result.stdout().equals("i686\n");
 * }
 * }</pre>
 */
public interface V86Machine extends AutoCloseable {

    /**
     * Boots a machine from a built-in image, building the image first if the cache lacks it.
     *
     * @throws V86Exception         if Node.js is missing or too old, or the image cannot be built (a Debian
     *                              package that does not exist included; the cause is the image builder's exception)
     * @throws MachineBootException if the guest does not come up
     * @throws IllegalArgumentException if no image has that name (the message lists the available ones)
     */
    static V86Machine start(String image) {
        return start(MachineSpec.of(image));
    }

    /** Boots a machine as {@code spec} describes; see {@link #start(String)}. */
    static V86Machine start(MachineSpec spec) {
        return Machines.start(spec);
    }

    /**
     * Runs a shell command with the machine's default timeout ({@link MachineSpec#execTimeout()}).
     *
     * @param command any {@code sh} script: pipes, redirects, several lines, any length
     * @return the exit code and output; a non-zero exit code is not an exception
     * @throws ExecTimeoutException if it runs past the timeout (the machine stays usable)
     * @throws V86Exception         if the machine itself failed
     */
    default ExecResult exec(String command) {
        return exec(command, ExecOptions.defaults());
    }

    /** Runs a shell command with the given timeout; see {@link #exec(String)}. */
    default ExecResult exec(String command, Duration timeout) {
        return exec(command, ExecOptions.defaults().withTimeout(timeout));
    }

    /**
     * Runs a shell command as {@code options} say: its timeout, a consumer that sees the output while
     * the command runs, the output limit. Output of any size arrives complete (up to the limit), at
     * the speed the guest writes it. See {@link #exec(String)}.
     *
     * <pre>{@code
     * vm.exec("make check", ExecOptions.defaults()
     *         .withOutputConsumer(frame -> log.info("{}: {}", frame.type(), frame.utf8String().strip())));
     * }</pre>
     *
     * @throws V86Exception if the output consumer threw (after the command ended; the cause is its exception)
     */
    ExecResult exec(String command, ExecOptions options);

    /**
     * Starts a shell command in the background, in a session of its own, and returns at once; other
     * commands can run meanwhile. Resetting, restoring or closing the machine ends it.
     *
     * <pre>{@code
     * GuestProcess server = vm.execInBackground("python3 -m http.server 8000");
     * vm.waitUntilSucceeds("wget -q -O- http://127.0.0.1:8000/ >/dev/null", Duration.ofSeconds(30));
     * server.kill();
     * }</pre>
     */
    default GuestProcess execInBackground(String command) {
        return execInBackground(command, ExecOptions.defaults());
    }

    /**
     * Starts a background command whose output also goes to the options' consumer (called on an
     * internal thread, in order within each stream; keep it quick) and is kept up to the options'
     * limit. The options' timeout does not apply: use {@link GuestProcess#waitFor(Duration)}.
     */
    GuestProcess execInBackground(String command, ExecOptions options);

    /**
     * Runs {@code command} again and again (every 100 ms at first, then less often) until it exits
     * with 0, as the NixOS test driver's {@code wait_until_succeeds} does.
     *
     * <pre>{@code vm.waitUntilSucceeds("test -e /run/app.pid", Duration.ofSeconds(30));}</pre>
     *
     * @return the first successful result
     * @throws V86Exception if it has not succeeded within {@code timeout}; the message has the last
     *                      attempt's exit code, stdout and stderr
     */
    ExecResult waitUntilSucceeds(String command, Duration timeout);

    /**
     * Saves the machine's current state in memory (about 40 MB for a 128 MB guest, taken in well under
     * a second); see {@link Checkpoint}. Taking one right after a start or a restore costs nothing.
     */
    Checkpoint checkpoint();

    /**
     * Puts the machine back into a checkpoint's state, in place (no new process; measured well under
     * 0.2 s). The guest clock is set to now. The kernel's random generator is restored too, so a
     * restored machine repeats the random numbers it gave after the checkpoint, until the kernel
     * reseeds on its own schedule.
     *
     * @throws IllegalArgumentException if the checkpoint is another machine's, or was lost in a restart
     */
    void restore(Checkpoint checkpoint);

    /**
     * Returns the machine to the state it had right after it started: the snapshot it was restored
     * from, or the state right after its cold boot. Same as restoring the first checkpoint.
     */
    void reset();

    /**
     * Copies a host file or directory into the guest. A directory's contents land in {@code guestPath}
     * (created if missing, merged if present), recursively, with executable bits and symlinks; a file
     * becomes {@code guestPath} exactly (parent folders created). Byte for byte.
     *
     * <pre>{@code vm.copyTo(Path.of("src/test/data/input.txt"), "/tmp/input.txt");}</pre>
     *
     * @param guestPath absolute, without {@code ..}
     * @throws IllegalArgumentException if the host file is missing or the guest path is not allowed
     * @throws V86Exception             if the guest could not store it (the message has its stderr)
     */
    default void copyTo(Path hostFileOrDir, String guestPath) {
        copyTo(FileSource.of(hostFileOrDir), guestPath);
    }

    /** Writes bytes into the guest as the file {@code guestPath}; see {@link #copyTo(Path, String)}. */
    default void copyTo(byte[] content, String guestPath) {
        copyTo(FileSource.of(content), guestPath);
    }

    /** Copies a {@link FileSource} into the guest; see {@link #copyTo(Path, String)}. */
    void copyTo(FileSource source, String guestPath);

    /**
     * Reads a guest file into memory; nothing is written on the host's disk. A guest symlink is
     * read through inside the guest (its target's content, from the guest's own files).
     *
     * @return the content of a guest file, complete and byte for byte (for large files prefer
     *         {@link #copyFrom(String, Path)}, which does not hold them in memory)
     * @throws IllegalArgumentException if the path is not allowed
     * @throws V86Exception             if there is no such file in the guest (the message names it)
     */
    byte[] readFile(String guestPath);

    /**
     * Copies a guest file or directory to the host: a file to {@code host} exactly, a directory's
     * contents into {@code host} (created if missing, merged if present), with permission bits
     * (set-id and sticky bits are dropped), empty folders and symlinks. The folders above
     * {@code host} are created if missing.
     *
     * <p>The guest chooses every name below {@code host}, so nothing is ever written, created,
     * truncated or chmod-ed through a symlink there: a symlink that stands where a file or folder from
     * the guest must go, {@code host} itself included, is replaced, not followed (as GNU tar does by
     * default), whether an earlier copy brought it out or it was there before. A host file there is
     * replaced too, a host folder is merged into, and a host folder with contents where a guest file
     * or symlink must go is an error. The folders above {@code host} are taken as they are.
     *
     * <p>Symlinks from the guest stay symlinks with their target text unchanged (like
     * {@code cp -a}) and are never followed while copying. An absolute one, or one that climbs out
     * with {@code ..}, points into the host's file system once copied out: do not follow it blindly.
     *
     * <pre>{@code vm.copyFrom("/tmp/out", Path.of("target/out"));}</pre>
     *
     * @param guestPath absolute, without {@code ..}
     * @param host      where it goes; not null
     * @throws IllegalArgumentException if the guest path is not allowed
     * @throws V86Exception             if there is no such guest path, or the host cannot store an entry
     *                                  (a name too long for it, a host folder with contents in the way):
     *                                  the message names the guest path and the host path; the machine
     *                                  stays usable, what was copied before the failure stays
     */
    void copyFrom(String guestPath, Path host);

    /**
     * The port of the host's {@code 127.0.0.1} that reaches a guest port, as Testcontainers'
     * {@code getMappedPort}. Each connection to it becomes a TCP connection into the guest; data
     * flows both ways, and either side closing closes the other.
     *
     * <pre>{@code
     * @V86Vm(image = "debian", packages = {"postgresql-15"}, exposedPorts = 5432)
     * ...
     * DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + vm.hostPort(5432) + "/postgres", "postgres", "");
     * }</pre>
     *
     * @throws IllegalArgumentException if the guest port was not exposed (the message names it)
     */
    int hostPort(int guestPort);

    /**
     * Exposes a guest port now, on a free port of the host's {@code 127.0.0.1}; see {@link #hostPort(int)}.
     * Exposing a port again returns the same host port.
     *
     * @return the host port
     * @throws IllegalStateException if the machine was started without ports (it has no network device)
     */
    int exposePort(int guestPort);

    /**
     * Lets the guest reach the host's {@code 127.0.0.1:hostPort} as {@code host.v86unit.internal:hostPort}
     * from now on (as Testcontainers' {@code exposeHostPorts}); see {@link MachineSpec#withHostPorts(int...)}.
     *
     * @throws IllegalStateException if the machine was started without ports (it has no network device)
     */
    void exposeHostPort(int hostPort);

    /**
     * Waits until something in the guest accepts TCP connections on {@code guestPort} (tried with a
     * connection attempt that sends no data, every 100 ms).
     *
     * <pre>{@code
     * vm.execInBackground("httpd -f -p 8080 -h /srv");
     * vm.waitForPort(8080, Duration.ofSeconds(30));
     * }</pre>
     *
     * @throws V86Exception          on timeout; the message names the port and the last attempt's outcome
     *                               (refused: nothing listens; no answer: the guest's network is down)
     * @throws IllegalStateException if the machine was started without ports
     */
    void waitForPort(int guestPort, Duration timeout);

    /**
     * Waits until {@code GET http://127.0.0.1:<hostPort(guestPort)><path>} answers HTTP 200.
     *
     * <pre>{@code vm.waitForHttp(8080, "/health", Duration.ofSeconds(30));}</pre>
     *
     * @param path starts with {@code /}
     * @throws IllegalArgumentException if the guest port is not exposed
     * @throws V86Exception             on timeout; the message has the last status and body, or the error
     */
    void waitForHttp(int guestPort, String path, Duration timeout);

    /** @return the image name this machine was started from, e.g. {@code "busybox"} */
    String image();

    /**
     * @return the content id of the image this machine runs, e.g. {@code sha256:9696...}: the same
     *         recipe (image, packages, Debian archive state) gives the same id on every machine
     */
    String imageId();

    /** Stops the emulator and its Node process. Idempotent. */
    @Override
    void close();
}
