package dev.v86unit.internal.machine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.v86unit.Checkpoint;
import dev.v86unit.ExecResult;
import dev.v86unit.ExecTimeoutException;
import dev.v86unit.FileSource;
import dev.v86unit.MachineSpec;
import dev.v86unit.V86Exception;
import dev.v86unit.V86Machine;
import dev.v86unit.images.Image;
import dev.v86unit.internal.exec.CommandLine;
import dev.v86unit.internal.host.HostRuntime;
import dev.v86unit.internal.host.NdjsonCodec;
import dev.v86unit.internal.text.Excerpts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A machine driven over its serial console. Each command runs as {@code ( eval '...' ) >out 2>err
 * </dev/null} in a subshell of the control shell (or, if it is long or not plain ASCII, is written
 * to the 9p share and sourced: see {@link CommandLine}), followed by a sentinel that carries its
 * exit status. stdout and stderr are files on the 9p share, so they come back byte-exact, separate
 * and fast however large.
 *
 * <p>States live in the Node host's memory slots: {@code base} is the start state (the snapshot, or
 * the state right after a cold boot), {@code cpN} are checkpoints. They die with the host process,
 * so every checkpoint carries the generation (host process) it belongs to.
 */
final class DefaultV86Machine implements V86Machine {

    private static final Logger LOG = LoggerFactory.getLogger(V86Machine.class);

    /** Where the guest mounts the 9p share (see the image's init). */
    static final String GUEST_SHARE = "/mnt/v86unit";
    /** The exchange folder inside the share, as the host sees it. */
    static final String IO = "/.v86unit";
    private static final String BASE = "base";
    private static final Duration HOST_CALL = Duration.ofMinutes(2);

    private final String name;
    private final MachineSpec spec;
    private final Image image;
    private final HostRuntime runtime;
    private final Duration bootTimeout;
    private final Duration execTimeout;

    private GuestLink link;
    private int generation;
    private int checkpoints;
    /** The slot whose state the guest is in, or null once anything ran since. */
    private String currentSlot;
    /** The snapshot this machine starts from, for a restart; null if it cold-boots. */
    private Path snapshot;
    private boolean closed;
    private Start started;
    private final FileTransfer files = new FileTransfer(() -> link.host(), this::exec);

    /** How a machine came up: the difference between seconds and a fraction of one. */
    enum Start { COLD_BOOT, SNAPSHOT }

    DefaultV86Machine(String name, MachineSpec spec, Image image, HostRuntime runtime, Duration bootTimeout, Duration execTimeout) {
        this.name = name;
        this.spec = spec;
        this.image = image;
        this.runtime = runtime;
        this.bootTimeout = bootTimeout;
        this.execTimeout = execTimeout;
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
        GuestLink fresh = GuestLink.open(name, runtime);
        try {
            fresh.coldBoot(image, bootTimeout);
        } catch (RuntimeException e) {
            fresh.close();
            throw e;
        }
        adopt(fresh);
        Duration booted = Duration.ofNanos(System.nanoTime() - start);
        var fields = NdjsonCodec.object().put("slot", BASE);
        if (snapshotFile != null) {
            fields.put("path", snapshotFile.toString());
        }
        JsonNode saved = link.host().call("saveState", fields, HOST_CALL);
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
        GuestLink fresh = GuestLink.open(name, runtime);
        long spawned = System.nanoTime();
        long loaded;
        try {
            fresh.bootFromState(image, stateFile, BASE);
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
        link = fresh;
        generation++;
    }

    @Override
    public ExecResult exec(String command) {
        return exec(command, execTimeout);
    }

    @Override
    public synchronized ExecResult exec(String command, Duration timeout) {
        if (command == null) {
            throw new IllegalArgumentException("command must not be null");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        ensureUsable();
        currentSlot = null;
        long start = System.nanoTime();
        CompletableFuture<JsonNode> written = null;
        String source;
        if (CommandLine.inlinable(command)) {
            source = "eval " + CommandLine.singleQuoted(command);
        } else {
            written = link.host().request("writeFile", NdjsonCodec.object()
                    .put("path", IO + "/cmd")
                    .put("data", NdjsonCodec.base64(command.getBytes(StandardCharsets.UTF_8))));
            source = ". " + GUEST_SHARE + IO + "/cmd";
        }
        CompletableFuture<Integer> status = link.run(source, GUEST_SHARE + IO + "/out", GUEST_SHARE + IO + "/err");
        if (written != null) {
            link.host().await(written, "writeFile", HOST_CALL);
        }
        int exitCode;
        try {
            exitCode = status.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw timedOut(command, timeout);
        } catch (ExecutionException e) {
            throw failed(command, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new V86Exception("interrupted while running " + Excerpts.quote(command), e);
        }
        CompletableFuture<JsonNode> stdout = link.host().request("readFile", NdjsonCodec.object().put("path", IO + "/out"));
        CompletableFuture<JsonNode> stderr = link.host().request("readFile", NdjsonCodec.object().put("path", IO + "/err"));
        return new ExecResult(command, exitCode, NdjsonCodec.bytes(link.host().await(stdout, "readFile", HOST_CALL), "data"),
                NdjsonCodec.bytes(link.host().await(stderr, "readFile", HOST_CALL), "data"), Duration.ofNanos(System.nanoTime() - start));
    }

    private V86Exception failed(String command, Throwable cause) {
        if (link.shellLost()) {
            link.recoverShell();
            return new V86Exception("Command " + Excerpts.quote(command) + " did not finish: " + cause.getMessage(), cause);
        }
        return new V86Exception("Command " + Excerpts.quote(command) + " failed because " + name + " failed: "
                + cause.getMessage() + "\nLast console lines:\n  " + String.join("\n  ", link.consoleTail()), cause);
    }

    /** Interrupts the command, brings the control shell back (or the whole machine), and describes the timeout. */
    private ExecTimeoutException timedOut(String command, Duration timeout) {
        byte[] stdout = readShareFile(IO + "/out");
        byte[] stderr = readShareFile(IO + "/err");
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

    /** Writes a file on the 9p share from the host side ({@code path} as the host sees the share). */
    synchronized void writeShareFile(String path, byte[] content) {
        ensureUsable();
        currentSlot = null;
        link.host().call("writeFile", NdjsonCodec.object().put("path", path).put("data", NdjsonCodec.base64(content)), HOST_CALL);
    }

    private byte[] readShareFile(String path) {
        JsonNode answer = link.host().call("readFile", NdjsonCodec.object().put("path", path), HOST_CALL);
        return NdjsonCodec.bytes(answer, "data");
    }

    @Override
    public synchronized Checkpoint checkpoint() {
        ensureUsable();
        if (currentSlot == null) {
            String slot = "cp" + (++checkpoints);
            link.host().call("saveState", NdjsonCodec.object().put("slot", slot), HOST_CALL);
            currentSlot = slot;
        }
        return new Checkpoint(name, generation + ":" + currentSlot);
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
            throw new IllegalArgumentException("checkpoint " + checkpoint.id() + " of " + name + " was lost when the machine was"
                    + " restarted (its Node host had ended); take a new one");
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
        link.host().call("restoreState", NdjsonCodec.object().put("slot", slot), HOST_CALL);
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
        if (link.host().isAlive()) {
            try {
                link.host().call("restoreState", NdjsonCodec.object().put("slot", BASE), HOST_CALL);
                link.resync(false);
                currentSlot = BASE;
                return;
            } catch (RuntimeException e) {
                LOG.warn("{}: could not restore its start state in place ({}); starting a new host", name, e.getMessage());
            }
        }
        link.close();
        if (snapshot != null && Files.isRegularFile(snapshot)) {
            restoreFrom(snapshot);
        } else {
            coldBoot(null);
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
            if (link != null) {
                link.close();
            }
            LOG.debug("{} closed", name);
        }
    }

    @Override
    public String toString() {
        return "V86Machine[" + name + ", image " + image.name() + " " + image.id() + (closed ? ", closed" : "") + "]";
    }
}
