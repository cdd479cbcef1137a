package dev.v86unit.internal.machine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.v86unit.Checkpoint;
import dev.v86unit.ExecOptions;
import dev.v86unit.ExecResult;
import dev.v86unit.ExecTimeoutException;
import dev.v86unit.FileSource;
import dev.v86unit.GuestProcess;
import dev.v86unit.MachineBootException;
import dev.v86unit.MachineSpec;
import dev.v86unit.V86Exception;
import dev.v86unit.V86Machine;
import dev.v86unit.images.Image;
import dev.v86unit.internal.exec.CommandLine;
import dev.v86unit.internal.exec.ResultFactory;
import dev.v86unit.internal.exec.Sentinels;
import dev.v86unit.internal.host.HostClient;
import dev.v86unit.internal.host.HostMessage;
import dev.v86unit.internal.cache.CacheLock;
import dev.v86unit.internal.cache.ImageUse;
import dev.v86unit.internal.host.HostRuntime;
import dev.v86unit.internal.text.Excerpts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A machine driven over its serial console. Each command is one line typed into the control shell
 * (see {@link CommandLine}: a subshell, or {@code eval} for a command that cannot change the shell;
 * written to the 9p share and sourced if it is long or not plain ASCII); its stdout and stderr
 * stream back through FIFOs, forwarders and the Node host as they are written, and end with a
 * marker that carries the exit status. One host request per command, answered once.
 *
 * <p>States live in the Node host's memory slots: {@code base} is the start state (the snapshot, or
 * the state right after a cold boot), {@code cpN} are checkpoints. They die with the host process,
 * so every checkpoint carries the generation (host process) it belongs to.
 */
final class DefaultV86Machine implements V86Machine {

    private static final Logger LOG = LoggerFactory.getLogger(V86Machine.class);

    /** Where the guest mounts the 9p share (see the image's init). */
    static final String GUEST_SHARE = CommandLine.GUEST_SHARE;
    /** The exchange folder inside the share, as the host sees it. */
    static final String IO = CommandLine.IO;
    private static final Duration JOB_START = Duration.ofSeconds(60);
    private static final Duration SHELL_READY = Duration.ofSeconds(60);
    private static final String BASE = "base";

    private final String name;
    private final MachineSpec spec;
    private final Image image;
    private final HostRuntime runtime;
    private final Duration bootTimeout;
    private final Duration execTimeout;
    private final long outputLimit;
    private final BackgroundJobs jobs = new BackgroundJobs();
    private final Ports ports;

    private GuestLink link;
    private int generation;
    private int checkpoints;
    /** The slot whose state the guest is in, or null once anything ran since. */
    private String currentSlot;
    /** The snapshot this machine starts from, for a restart; null if it cold-boots. */
    private Path snapshot;
    private boolean closed;
    /** Something went wrong once (a timeout, a failure, a recovery): not to be handed on to another user. */
    private boolean troubled;
    private Start started;
    private final FileTransfer files = new FileTransfer(() -> link.host(), this::exec);
    private final BackgroundJob.Machine jobMachine = new BackgroundJob.Machine() {
        @Override
        public boolean signal(int job, String signal) {
            synchronized (DefaultV86Machine.this) {
                if (closed) {
                    return false;
                }
                exec(CommandLine.killJob(job, signal), JOB_START);
                return true;
            }
        }

        @Override
        public String name() {
            return name;
        }
    };

    /** Runs an image's first-boot scripts at a cold boot and keeps their result; null: never. */
    private ConfiguredLayers layers;

    /** The cache, for a restart after a failure (under its shared lock); null: not started by Machines. */
    private Path cacheDir;
    /** Held until close: keeps the image's files from being pruned while this machine may need them. */
    private ImageUse use;

    /** The machine uses this cache and holds the use of its image until it is closed. */
    void useCache(Path cacheDir, ImageUse use) {
        this.cacheDir = cacheDir;
        this.use = use;
    }

    /** Records a use of the image (a handed-on machine's new user). */
    void touchUse() {
        if (use != null) {
            ImageUse.touch(image);
        }
    }

    /** Cold boots run the image's first-boot scripts (once per image: see {@link ConfiguredLayers}). */
    void configureWith(ConfiguredLayers layers) {
        this.layers = layers;
    }

    java.util.List<String> consoleTail() {
        return link == null ? java.util.List.of() : link.consoleTail();
    }

    /** How a machine came up: the difference between seconds and a fraction of one. */
    enum Start { COLD_BOOT, SNAPSHOT }

    DefaultV86Machine(String name, MachineSpec spec, Image image, HostRuntime runtime, Duration bootTimeout, Duration execTimeout,
            long outputLimit) {
        this.name = name;
        this.outputLimit = outputLimit;
        this.spec = spec;
        this.image = image;
        this.runtime = runtime;
        this.bootTimeout = bootTimeout;
        this.execTimeout = execTimeout;
        this.ports = new Ports(name, spec.hasNetwork(), spec.exposedPorts(), spec.hostPorts());
    }

    /**
     * Cold-boots the guest into protocol mode and keeps that state as the start state.
     *
     * @param snapshotFile where to save the start state as a snapshot too, or null
     * @return the size of the raw state in bytes
     */
    synchronized long coldBoot(Path snapshotFile) {
        long start = System.nanoTime();
        LOG.info("Cold-booting {} (image {} {}, {} MB, v86 {}) ...", name, image.name(), image.id(), image.memoryMb(), runtime.v86Version());
        GuestLink fresh = GuestLink.open(name, runtime, this::onJobEvent);
        try {
            fresh.coldBoot(image, bootTimeout, ports.network());
        } catch (RuntimeException e) {
            fresh.close();
            throw e;
        }
        adopt(fresh);
        try {
            if (layers != null) {
                layers.firstBoot(this, link.host(), image);
            }
            // The output forwarders start in the background: a state saved while one of them is still
            // starting (a 9p open in flight) would make every restore wait for the rest of its start,
            // or hang on a request never answered. One command through them settles them.
            ExecResult primed;
            try {
                primed = exec("true", SHELL_READY);
            } catch (ExecTimeoutException e) {
                throw new MachineBootException(name + " booted, but its first command (\"true\") did not end within "
                        + Excerpts.duration(SHELL_READY) + ": its output forwarders do not deliver", link.consoleTail());
            }
            if (primed.exitCode() != 0) {
                throw new MachineBootException(name + " booted, but its output forwarders do not work: " + primed, link.consoleTail());
            }
        } catch (RuntimeException e) {
            link.close(); // nobody gets this machine: its host process must not outlive the failure
            throw e;
        }
        Duration booted = Duration.ofNanos(System.nanoTime() - start);
        JsonNode saved = link.host().saveState(BASE, snapshotFile);
        currentSlot = BASE;
        snapshot = snapshotFile;
        started = Start.COLD_BOOT;
        if (snapshotFile != null) {
            LOG.info("{} cold-booted in {}; saved snapshot {} ({} MB) in {}", name, Excerpts.duration(booted), snapshotFile.getFileName(),
                    String.format(java.util.Locale.ROOT, "%.1f", saved.path("compressedSize").asLong() / 1e6),
                    Excerpts.duration(Duration.ofNanos(System.nanoTime() - start).minus(booted)));
        } else {
            LOG.info("{} cold-booted in {}", name, Excerpts.duration(booted));
        }
        return saved.path("size").asLong();
    }

    /** Starts the guest from a saved state file in a new Node process; its state becomes the start state. */
    synchronized void restoreFrom(Path stateFile) {
        long start = System.nanoTime();
        GuestLink fresh = GuestLink.open(name, runtime, this::onJobEvent);
        long spawned = System.nanoTime();
        long loaded;
        try {
            fresh.bootFromState(image, stateFile, BASE, ports.network());
            loaded = System.nanoTime();
            fresh.resync(true);
        } catch (RuntimeException e) {
            fresh.close();
            throw e;
        }
        adopt(fresh);
        currentSlot = BASE;
        snapshot = stateFile;
        started = Start.SNAPSHOT;
        long now = System.nanoTime();
        LOG.info("{} restored from snapshot {} in {} (start host {} ms, load state {} ms, shell answers {} ms)", name,
                stateFile.getFileName(), Excerpts.duration(Duration.ofNanos(now - start)), (spawned - start) / 1_000_000,
                (loaded - spawned) / 1_000_000, (now - loaded) / 1_000_000);
    }

    private void adopt(GuestLink fresh) {
        endJobs("its Node host was replaced");
        link = fresh;
        generation++;
        ports.open(fresh.host());
    }

    @Override
    public ExecResult exec(String command) {
        return exec(command, ExecOptions.defaults());
    }

    @Override
    public ExecResult exec(String command, Duration timeout) {
        return exec(command, ExecOptions.defaults().withTimeout(timeout));
    }

    @Override
    public synchronized ExecResult exec(String command, ExecOptions options) {
        checkArguments(command, options);
        Duration timeout = options.timeout().orElse(execTimeout);
        ensureUsable();
        currentSlot = null;
        long start = System.nanoTime();
        RunningCommand running = new RunningCommand(name, command, Sentinels.newNonce(), options.outputLimit().orElse(outputLimit),
                options.outputConsumer().orElse(null));
        link.exec(running, command, CommandLine.inlinable(command));
        int exitCode;
        try {
            exitCode = running.await(timeout);
        } catch (TimeoutException e) {
            throw timedOut(command, timeout, running);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new V86Exception("interrupted while running " + Excerpts.quote(command), e);
        } catch (RuntimeException e) {
            throw failed(command, e);
        }
        ExecResult result = ResultFactory.handOver(command, exitCode, running.stdout().take(), running.stderr().take(),
                Duration.ofNanos(System.nanoTime() - start));
        if (running.consumerFailure() != null) {
            throw new V86Exception("The output consumer of " + Excerpts.quote(command) + " threw " + running.consumerFailure()
                    + "; the command ran to its end: " + result, running.consumerFailure());
        }
        return result;
    }

    private static void checkArguments(String command, ExecOptions options) {
        if (command == null) {
            throw new IllegalArgumentException("command must not be null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
    }

    @Override
    public GuestProcess execInBackground(String command) {
        return execInBackground(command, ExecOptions.defaults());
    }

    @Override
    public synchronized GuestProcess execInBackground(String command, ExecOptions options) {
        checkArguments(command, options);
        ensureUsable();
        currentSlot = null;
        int number = jobs.nextNumber();
        BackgroundJob job = new BackgroundJob(number, command, jobMachine, options.outputLimit().orElse(outputLimit),
                options.outputConsumer().orElse(null));
        jobs.add(job);
        link.host().spawn(number, CommandLine.jobFolder(number), CommandLine.jobRunner(number).getBytes(StandardCharsets.UTF_8),
                command.getBytes(StandardCharsets.UTF_8));
        ExecResult started = exec(CommandLine.startJob(number), JOB_START);
        if (started.exitCode() != 0) {
            jobs.remove(number);
            throw new V86Exception("Could not start background command " + Excerpts.quote(command) + ": " + started);
        }
        return job;
    }

    private void onJobEvent(HostMessage.Event event) {
        jobs.onEvent(event);
    }

    /** Every background job is gone with the guest state it ran in. */
    private void endJobs(String why) {
        jobs.endAll(why);
    }

    @Override
    public ExecResult waitUntilSucceeds(String command, Duration timeout) {
        return Waiting.untilSucceeds(this::exec, name, command, timeout, execTimeout);
    }

    @Override
    public synchronized int hostPort(int guestPort) {
        return ports.hostPort(guestPort);
    }

    @Override
    public synchronized int exposePort(int guestPort) {
        ensureUsable();
        return ports.expose(link.host(), guestPort);
    }

    @Override
    public synchronized void exposeHostPort(int hostPort) {
        ensureUsable();
        ports.allow(link.host(), hostPort);
    }

    @Override
    public void waitForPort(int guestPort, Duration timeout) {
        HostClient host;
        synchronized (this) {
            ensureUsable();
            host = link.host();
        }
        ports.waitForPort(host, guestPort, timeout);
    }

    @Override
    public void waitForHttp(int guestPort, String path, Duration timeout) {
        synchronized (this) {
            ensureUsable();
        }
        ports.waitForHttp(guestPort, path, timeout);
    }

    /** @return the host's figures: memory, TCP handles, the network's listeners and connections */
    synchronized JsonNode hostStats() {
        return link.host().stats();
    }

    /** @return the machine's name, e.g. {@code busybox#3} */
    String name() {
        return name;
    }

    /** @return true if the machine may be reset and handed to another user */
    synchronized boolean reusable() {
        return !closed && !troubled && !ports.changedAtRunTime() && link != null && !link.broken() && !link.shellLost() && link.host().isAlive();
    }

    /**
     * Back to the start state for the next user: background jobs end, the state is restored (files,
     * processes, variables; the clock is set to now), checkpoints are dropped and old ones refused.
     */
    synchronized void prepareForReuse() {
        endJobs("the machine was closed");
        restoreSlot(BASE);
        for (int n = 1; n <= checkpoints; n++) {
            link.host().dropState("cp" + n);
        }
        checkpoints = 0;
        generation++;
    }

    private V86Exception failed(String command, Throwable cause) {
        troubled = true;
        if (link.shellLost()) {
            link.recoverShell();
            return new V86Exception("Command " + Excerpts.quote(command) + " did not finish: " + cause.getMessage(), cause);
        }
        return new V86Exception("Command " + Excerpts.quote(command) + " failed because " + name + " failed: "
                + cause.getMessage() + "\nLast console lines:\n  " + String.join("\n  ", link.consoleTail()), cause);
    }

    /** Interrupts the command, brings the control shell back (or the whole machine), and describes the timeout. */
    private ExecTimeoutException timedOut(String command, Duration timeout, RunningCommand running) {
        troubled = true;
        running.drain();
        byte[] stdout = running.stdout().take();
        byte[] stderr = running.stderr().take();
        // ^C (SIGINT) first; ^\ (SIGQUIT) for a command that ignores SIGINT.
        if (!link.interrupt("\u0003") && !link.interrupt("\u001c")) {
            LOG.warn("{}: command {} ignored ^C and ^\\ after its timeout; returning the machine to its start state",
                    name, Excerpts.quote(command));
            recover();
        }
        return new ExecTimeoutException(command, timeout, stdout, stderr);
    }

    @Override
    public synchronized void copyTo(FileSource source, String guestPath) {
        if (source == null) {
            throw new IllegalArgumentException("source must not be null");
        }
        ensureUsable();
        files.copyTo(source, guestPath);
    }

    @Override
    public synchronized byte[] readFile(String guestPath) {
        ensureUsable();
        return files.readFile(guestPath);
    }

    @Override
    public synchronized void copyFrom(String guestPath, Path host) {
        if (host == null) {
            throw new IllegalArgumentException("host path must not be null");
        }
        ensureUsable();
        files.copyFrom(guestPath, host);
    }

    @Override
    public synchronized Checkpoint checkpoint() {
        ensureUsable();
        if (currentSlot == null) {
            String slot = "cp" + (++checkpoints);
            link.host().saveState(slot, null);
            currentSlot = slot;
        }
        return Checkpoints.of(name, generation + ":" + currentSlot);
    }

    @Override
    public synchronized void restore(Checkpoint checkpoint) {
        if (checkpoint == null) {
            throw new IllegalArgumentException("checkpoint must not be null");
        }
        if (!checkpoint.machine().equals(name)) {
            throw new IllegalArgumentException("checkpoint " + checkpoint.id() + " belongs to " + checkpoint.machine() + ", not to " + name);
        }
        String[] parts = checkpoint.id().split(":", 2);
        if (parts.length != 2 || !parts[0].equals(Integer.toString(generation))) {
            throw new IllegalArgumentException("checkpoint " + checkpoint.id() + " of " + name + " was lost when the machine was closed or"
                    + " restarted; take a new one");
        }
        ensureUsable();
        restoreSlot(parts[1]);
    }

    @Override
    public synchronized void reset() {
        ensureUsable();
        restoreSlot(BASE);
    }

    private void restoreSlot(String slot) {
        if (slot.equals(currentSlot)) {
            return; // nothing ran since the guest was in that state
        }
        long start = System.nanoTime();
        endJobs("the machine was restored to an earlier state");
        link.host().restoreState(slot);
        link.resync(false);
        currentSlot = slot;
        LOG.debug("{} restored {} in {}", name, slot, Excerpts.duration(Duration.ofNanos(System.nanoTime() - start)));
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        if (link.shellLost() && !link.broken()) {
            link.recoverShell();
        }
        if (link.broken() || !link.host().isAlive()) {
            LOG.warn("{} failed earlier; returning it to its start state before going on", name);
            recover();
        }
    }

    /** Back to the start state: in place if the host lives (checkpoints survive), else in a new host. */
    private void recover() {
        troubled = true;
        if (link.host().isAlive()) {
            try {
                endJobs("the machine went back to its start state after a failure");
                link.host().restoreState(BASE);
                link.resync(false);
                currentSlot = BASE;
                return;
            } catch (RuntimeException e) {
                LOG.warn("{}: could not restore its start state in place ({}); starting a new host", name, e.getMessage());
            }
        }
        link.close();
        // a restart reads the cache (and a cold boot of an unconfigured image writes its layer): not during a prune
        try (CacheLock cacheLock = cacheDir == null ? null : CacheLock.shared(cacheDir)) {
            if (snapshot != null && Files.isRegularFile(snapshot)) {
                restoreFrom(snapshot);
            } else {
                coldBoot(null);
            }
        }
    }

    /**
     * Runs an interactive shell on the guest console ({@link GuestLink#attach}) until it ends: {@code keys}
     * are typed as they come (their end types ^D, which ends the shell at its prompt), the console goes to
     * {@code screen}. The machine is not handed on to another user afterwards.
     *
     * @return the shell's exit status
     */
    int interactiveShell(InputStream keys, OutputStream screen) {
        ShellSession session;
        synchronized (this) {
            ensureUsable();
            troubled = true; // its console was a user's: never handed on
            currentSlot = null;
            String ready = Sentinels.newNonce();
            String end = Sentinels.newNonce();
            session = new ShellSession(ready, end, screen);
            link.attach(session, ready, end, image.name() + ":\\w# ");
        }
        try {
            session.started().get(SHELL_READY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new V86Exception(name + ": the interactive shell did not start within " + Excerpts.duration(SHELL_READY)
                    + "\nLast console lines:\n  " + String.join("\n  ", link.consoleTail()));
        } catch (ExecutionException e) {
            throw new V86Exception(name + ": the interactive shell did not start: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new V86Exception("interrupted while starting an interactive shell on " + name, e);
        }
        GuestLink typing = link;
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = keys.read(buffer)) >= 0; ) {
                    if (n > 0) {
                        typing.type(java.util.Arrays.copyOf(buffer, n));
                    }
                }
                // The keys ended (a pipe, or a closed terminal): ^D ends the shell once it reads its next line;
                // again now and then, in case the first one met a command that was still running.
                while (!session.ended().isDone()) {
                    typing.type(new byte[] {4});
                    try {
                        session.ended().get(3, TimeUnit.SECONDS);
                    } catch (TimeoutException again) {
                        // type it once more
                    }
                }
            } catch (Exception e) {
                LOG.debug("{}: typing into the interactive shell stopped: {}", name, e.toString());
            }
        }, name + "-keys");
        pump.setDaemon(true);
        pump.start();
        try {
            return session.ended().get();
        } catch (ExecutionException e) {
            throw new V86Exception(name + ": the interactive shell ended with the machine: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new V86Exception("interrupted during an interactive shell on " + name, e);
        }
    }

    /** @return how the machine last came up */
    synchronized Start started() {
        return started;
    }

    @Override
    public String image() {
        return spec.image();
    }

    @Override
    public String imageId() {
        return image.id();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            endJobs("the machine was closed");
            try {
                if (link != null) {
                    link.close();
                }
            } finally {
                if (use != null) {
                    use.close();
                }
            }
            LOG.debug("{} closed", name);
        }
    }

    @Override
    public String toString() {
        return "V86Machine[" + name + ", image " + image.name() + " " + image.id() + (closed ? ", closed" : "") + "]";
    }
}
