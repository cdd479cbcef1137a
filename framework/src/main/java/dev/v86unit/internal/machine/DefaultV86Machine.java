package dev.v86unit.internal.machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.v86unit.ExecResult;
import dev.v86unit.ExecTimeoutException;
import dev.v86unit.MachineBootException;
import dev.v86unit.MachineSpec;
import dev.v86unit.V86Exception;
import dev.v86unit.V86Machine;
import dev.v86unit.images.Image;
import dev.v86unit.internal.exec.CommandLine;
import dev.v86unit.internal.exec.SentinelScanner;
import dev.v86unit.internal.exec.Sentinels;
import dev.v86unit.internal.host.HostMessage;
import dev.v86unit.internal.host.HostRuntime;
import dev.v86unit.internal.host.NdjsonCodec;
import dev.v86unit.internal.host.NodeHost;
import dev.v86unit.internal.text.Excerpts;
import java.nio.charset.StandardCharsets;
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
 */
final class DefaultV86Machine implements V86Machine {

    private static final Logger LOG = LoggerFactory.getLogger(V86Machine.class);

    /** Where the guest mounts the 9p share (see the image's init). */
    static final String GUEST_SHARE = "/mnt/v86unit";
    /** The exchange folder inside the share, as the host sees it. */
    static final String IO = "/.v86unit";
    static final String READY_MARKER = "v86unit: ready";
    private static final Duration HOST_CALL = Duration.ofMinutes(2);
    private static final Duration RESYNC = Duration.ofSeconds(5);

    private final String name;
    private final MachineSpec spec;
    private final Image image;
    private final HostRuntime runtime;
    private final Duration bootTimeout;
    private final Duration execTimeout;

    private volatile NodeHost host;
    private volatile SentinelScanner scanner;
    private volatile ConsoleLog console;
    private volatile CompletableFuture<Void> ready;
    private volatile boolean broken;
    private volatile boolean booted;
    private volatile boolean shellLost;
    private volatile boolean closed;

    DefaultV86Machine(String name, MachineSpec spec, Image image, HostRuntime runtime, Duration bootTimeout, Duration execTimeout) {
        this.name = name;
        this.spec = spec;
        this.image = image;
        this.runtime = runtime;
        this.bootTimeout = bootTimeout;
        this.execTimeout = execTimeout;
    }

    /** Cold-boots the guest and switches its control shell into protocol mode. */
    synchronized void boot() {
        long start = System.nanoTime();
        LOG.info("Booting {} (image {} {}, {} MB, v86 {}) ...", name, image.name(), image.id(), image.memoryMb(), runtime.v86Version());
        ready = new CompletableFuture<>();
        console = new ConsoleLog(name, this::watch);
        scanner = new SentinelScanner(console);
        host = NodeHost.start(runtime, name, this::onEvent);
        broken = false;
        booted = false;
        shellLost = false;
        try {
            ObjectNode boot = NdjsonCodec.object()
                    .put("kernel", image.kernel().toString())
                    .put("initrd", image.initrd().toString())
                    .put("bios", image.bios().toString())
                    .put("cmdline", image.cmdline())
                    .put("memoryMb", image.memoryMb());
            host.call("boot", boot, HOST_CALL);
            awaitReady(start);
            enterProtocolMode();
            booted = true;
        } catch (RuntimeException e) {
            host.close();
            broken = true;
            throw e;
        }
        LOG.info("{} cold-booted in {}", name, Excerpts.duration(Duration.ofNanos(System.nanoTime() - start)));
    }

    private void awaitReady(long start) {
        long remaining = bootTimeout.toNanos() - (System.nanoTime() - start);
        try {
            ready.get(Math.max(remaining, 1), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new MachineBootException(name + " did not boot within " + Excerpts.duration(bootTimeout)
                    + " (raise it with the system property v86unit.boot.timeout or MachineSpec.withBootTimeout)", console.tail());
        } catch (ExecutionException e) {
            pause(Duration.ofMillis(300)); // let the rest of a panic message arrive
            throw new MachineBootException(name + " failed to boot: " + e.getCause().getMessage(), console.tail());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new V86Exception("interrupted while booting " + name, e);
        }
    }

    private void enterProtocolMode() {
        // -echo: our command lines are not echoed back; -opost: output bytes arrive unchanged.
        String nonce = Sentinels.newNonce();
        CompletableFuture<Integer> status = scanner.expect(nonce);
        send("stty -echo -opost; PS1=''; PS2=''; " + Sentinels.printStatus(nonce) + "\n");
        try {
            status.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new MachineBootException(name + " booted, but its control shell did not answer", console.tail());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new V86Exception("interrupted while booting " + name, e);
        }
    }

    private void watch(String line) {
        if (line.contains(READY_MARKER)) {
            if (booted) {
                // init starts a new control shell when ours ends: the command ended it
                shellLost = true;
                scanner.fail(new V86Exception("the guest's control shell ended while the command ran (in a command, $$ is"
                        + " that shell: 'kill $$' ends it); a new control shell took its place"));
            }
            ready.complete(null);
        } else if (line.contains("Kernel panic")) {
            V86Exception panic = new V86Exception("the guest kernel panicked: " + line.trim());
            broken = true;
            ready.completeExceptionally(panic);
            scanner.fail(panic);
        }
    }

    private void onEvent(HostMessage.Event event) {
        switch (event.name()) {
            case "serial" -> {
                byte[] data = NdjsonCodec.bytes(event.body(), "data");
                if (event.body().path("port").asInt() == 0) {
                    scanner.feed(data);
                } else {
                    console.accept(new String(data, StandardCharsets.UTF_8));
                }
            }
            case "exit", "fatal" -> {
                V86Exception gone = new V86Exception(event.body().path("error").asText("the Node host ended"));
                broken = true;
                ready.completeExceptionally(gone);
                scanner.fail(gone);
            }
            default -> LOG.debug("{}: host event {}", name, event.name());
        }
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
        long start = System.nanoTime();
        String nonce = Sentinels.newNonce();
        CompletableFuture<Integer> status = scanner.expect(nonce);
        CompletableFuture<JsonNode> written = null;
        String source;
        if (CommandLine.inlinable(command)) {
            source = "eval " + CommandLine.singleQuoted(command);
        } else {
            written = host.request("writeFile", NdjsonCodec.object()
                    .put("path", IO + "/cmd")
                    .put("data", NdjsonCodec.base64(command.getBytes(StandardCharsets.UTF_8))));
            source = ". " + GUEST_SHARE + IO + "/cmd";
        }
        send(CommandLine.line(source, GUEST_SHARE + IO + "/out", GUEST_SHARE + IO + "/err", nonce));
        if (written != null) {
            host.await(written, "writeFile", HOST_CALL);
        }
        int exitCode;
        try {
            exitCode = status.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw timedOut(command, timeout);
        } catch (ExecutionException e) {
            if (shellLost) {
                recoverShell();
                throw new V86Exception("Command " + Excerpts.quote(command) + " did not finish: " + e.getCause().getMessage(), e.getCause());
            }
            broken = true;
            throw new V86Exception("Command " + Excerpts.quote(command) + " failed because " + name + " failed: "
                    + e.getCause().getMessage() + "\nLast console lines:\n  " + String.join("\n  ", console.tail()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new V86Exception("interrupted while running " + Excerpts.quote(command), e);
        }
        CompletableFuture<JsonNode> stdout = host.request("readFile", NdjsonCodec.object().put("path", IO + "/out"));
        CompletableFuture<JsonNode> stderr = host.request("readFile", NdjsonCodec.object().put("path", IO + "/err"));
        return new ExecResult(command, exitCode, NdjsonCodec.bytes(host.await(stdout, "readFile", HOST_CALL), "data"),
                NdjsonCodec.bytes(host.await(stderr, "readFile", HOST_CALL), "data"), Duration.ofNanos(System.nanoTime() - start));
    }

    /** Interrupts the command, brings the control shell back (or the whole machine), and describes the timeout. */
    private ExecTimeoutException timedOut(String command, Duration timeout) {
        byte[] stdout = readShareFile(IO + "/out");
        byte[] stderr = readShareFile(IO + "/err");
        // ^C (SIGINT) first; ^\ (SIGQUIT) for a command that ignores SIGINT.
        boolean recovered = resync("\u0003") || resync("\u001c");
        if (!recovered) {
            LOG.warn("{}: command {} ignored ^C and ^\\ after its timeout; restarting the machine", name, Excerpts.quote(command));
            restart();
        }
        return new ExecTimeoutException(command, timeout, stdout, stderr);
    }

    private boolean resync(String interrupt) {
        send(interrupt);
        pause(Duration.ofMillis(200));
        String nonce = Sentinels.newNonce();
        CompletableFuture<Integer> status = scanner.expect(nonce);
        send(Sentinels.printStatus(nonce) + "\n");
        try {
            status.get(RESYNC.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private byte[] readShareFile(String path) {
        JsonNode answer = host.call("readFile", NdjsonCodec.object().put("path", path), HOST_CALL);
        return NdjsonCodec.bytes(answer, "data");
    }

    private void send(String text) {
        host.request("send", NdjsonCodec.object().put("data", NdjsonCodec.base64(text.getBytes(StandardCharsets.UTF_8))));
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        if (shellLost && !broken) {
            recoverShell();
        }
        if (broken || !host.isAlive()) {
            LOG.warn("{} failed earlier; starting it again before the next command", name);
            restart();
        }
    }

    private void recoverShell() {
        shellLost = false;
        try {
            enterProtocolMode();
        } catch (RuntimeException e) {
            broken = true;
        }
    }

    private void restart() {
        host.close();
        boot();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String image() {
        return spec.image();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (host != null) {
                host.close();
            }
            LOG.debug("{} closed", name);
        }
    }

    @Override
    public String toString() {
        return "V86Machine[" + name + ", image " + image.name() + " " + image.id() + (closed ? ", closed" : "") + "]";
    }
}
