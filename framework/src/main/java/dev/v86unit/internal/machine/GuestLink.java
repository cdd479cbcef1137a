package dev.v86unit.internal.machine;

import dev.v86unit.MachineBootException;
import dev.v86unit.OutputFrame;
import dev.v86unit.V86Exception;
import dev.v86unit.images.Image;
import dev.v86unit.internal.exec.CommandLine;
import dev.v86unit.internal.exec.SentinelScanner;
import dev.v86unit.internal.exec.Sentinels;
import dev.v86unit.internal.host.HostClient;
import dev.v86unit.internal.host.HostMessage;
import dev.v86unit.internal.host.HostRuntime;
import dev.v86unit.internal.host.NdjsonCodec;
import dev.v86unit.internal.host.NodeHost;
import dev.v86unit.internal.text.Excerpts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Node host process and the guest's control shell on its serial console: waiting for the boot,
 * switching the shell into protocol mode, running commands (their output comes as host events,
 * routed to the command in flight or to a background job), and noticing a panic, a dead host, or a
 * control shell that a command ended.
 */
final class GuestLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GuestLink.class);
    static final String READY_MARKER = "v86unit: ready";
    private static final Duration SHELL_ANSWER = Duration.ofSeconds(30);
    private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(5);

    private final String name;
    private final ConsoleLog console;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile SentinelScanner scanner;
    private final Consumer<HostMessage.Event> jobEvents;
    private volatile HostClient host;
    private volatile boolean booted;
    private volatile boolean broken;
    private volatile boolean shellLost;
    /** The command in flight, whose output events go to it. */
    private volatile RunningCommand running;
    /** While an interactive shell runs: gets the console's bytes too (see {@link #attach}). */
    private volatile ShellSession session;
    /** The next command starts with start markers: an interrupted one may have left output in the FIFOs. */
    private volatile boolean syncNext;

    private GuestLink(String name, Consumer<HostMessage.Event> jobEvents) {
        this.name = name;
        this.jobEvents = jobEvents;
        this.console = new ConsoleLog(name, this::watch);
        this.scanner = new SentinelScanner(console);
    }

    /** @param jobEvents gets the output and exit events of background jobs, on the host's reader thread */
    static GuestLink open(String name, HostRuntime runtime, Consumer<HostMessage.Event> jobEvents) {
        GuestLink link = new GuestLink(name, jobEvents);
        link.host = new HostClient(NodeHost.start(runtime, name, link::onEvent));
        return link;
    }

    HostClient host() {
        return host;
    }

    boolean broken() {
        return broken;
    }

    boolean shellLost() {
        return shellLost;
    }

    List<String> consoleTail() {
        return console.tail();
    }

    /** Boots the kernel and initramfs and brings the control shell into protocol mode. */
    void coldBoot(Image image, Duration bootTimeout, boolean network) {
        long start = System.nanoTime();
        host.bootKernel(image, network);
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
        if (!enterProtocolMode(CommandLine.PROTOCOL_MODE)) {
            throw new MachineBootException(name + " booted, but its control shell did not answer", console.tail());
        }
        booted = true;
    }

    /** Starts the emulator from a saved state, which is also kept in the host's memory as {@code slot}. */
    void bootFromState(Image image, Path stateFile, String slot, boolean network) {
        booted = true; // the saved shell is in protocol mode already
        var timings = host.bootState(stateFile, slot, image.bios(), image.memoryMb(), image.rootfsStore(), image.rootfs(), network);
        LOG.debug("{}: host up after {} ms, state read and unpacked in {} ms, emulator loaded in {} ms",
                name, timings.path("processStartMs").asLong(), timings.path("prepareMs").asLong(), timings.path("loadMs").asLong());
    }

    /**
     * After a restore: a fresh scanner and the guest clock set to now (a snapshot may be weeks old),
     * then a sentinel to be sure the shell answers. (The kernel's random generator is not reseeded:
     * writing to /dev/urandom only feeds its next scheduled reseed, measured to change nothing at
     * once, so restored machines repeat their snapshot's random numbers for a while.)
     */
    void resync(boolean newProcess) {
        scanner = new SentinelScanner(console);
        broken = false;
        shellLost = false;
        syncNext = false;
        String prefix = "date -s @" + Instant.now().getEpochSecond() + " >/dev/null 2>&1; ";
        if (!awaitShell(prefix, SHELL_ANSWER)) {
            broken = true;
            throw new V86Exception(name + ": the control shell did not answer after a restore" + (newProcess ? " from a snapshot" : "")
                    + "\nLast console lines:\n  " + String.join("\n  ", console.tail()));
        }
    }

    /**
     * Runs a command: its output and its end arrive at {@code command}, on the host's reader thread.
     *
     * @param inline true if the command goes inline in its line, false to write it to the share first
     */
    void exec(RunningCommand command, String text, boolean inline) {
        boolean sync = syncNext;
        syncNext = false;
        running = command;
        String line = CommandLine.line(inline ? text : null, command.nonce(), sync);
        host.exec(command.nonce(), line, sync, CommandLine.scriptPath(command.nonce()), inline ? null : text.getBytes(StandardCharsets.UTF_8))
                .whenComplete((code, failure) -> {
                    if (failure != null) {
                        command.failed(failure instanceof RuntimeException e ? e : new V86Exception(failure.getMessage(), failure));
                    } else {
                        command.exited(code);
                    }
                });
    }

    /** Sends an interrupt character and checks that the control shell answers again. */
    boolean interrupt(String character) {
        syncNext = true;
        send(character);
        pause(Duration.ofMillis(200));
        return awaitShell("", INTERRUPT_GRACE);
    }

    /** A command ended the control shell and init started a new one: bring that one into protocol mode. */
    void recoverShell() {
        shellLost = false;
        syncNext = true;
        if (!enterProtocolMode(CommandLine.PROTOCOL_MODE_AGAIN)) {
            broken = true;
        }
    }

    /** Puts the files that protocol mode runs on the share (again: a test may have removed them) and types {@code line}. */
    private boolean enterProtocolMode(String line) {
        CommandLine.guestFiles().forEach((path, text) -> host.writeFile(path, text.getBytes(StandardCharsets.US_ASCII), 0644));
        return awaitShell(line, SHELL_ANSWER);
    }

    /**
     * Hands the console to an interactive shell: the guest's control shell leaves protocol mode and runs
     * {@code sh -i} on ttyS0 (its controlling terminal, so ^C interrupts the shell's foreground job), and the
     * console's bytes go to {@code session} until the shell ends; then the control shell goes back to
     * protocol mode and prints the end marker with the shell's exit status.
     */
    void attach(ShellSession session, String readyNonce, String endNonce, String prompt) {
        this.session = session;
        send("stty sane; " + Sentinels.printStatus(readyNonce) + "; PS1='" + prompt + "' PS2='> ' sh -i; _v86x=$?; "
                + "stty -echo -opost; PS1=''; PS2=''; printf '\\n__V86_" + endNonce + "_%d__\\n' $_v86x\n");
    }

    /** Types bytes on the console as they are (the keys of an interactive shell). */
    void type(byte[] keys) {
        host.send(keys);
    }

    private boolean awaitShell(String prefix, Duration timeout) {
        String nonce = Sentinels.newNonce();
        CompletableFuture<Integer> status = scanner.expect(nonce);
        send(prefix + Sentinels.printStatus(nonce) + "\n");
        try {
            status.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void send(String text) {
        host.send(text);
    }

    private void failRunning(RuntimeException cause) {
        RunningCommand command = running;
        if (command != null) {
            command.failed(cause);
        }
    }

    private void watch(String line) {
        if (line.contains(READY_MARKER)) {
            if (booted) {
                // init starts a new control shell when ours ends: the command ended it
                shellLost = true;
                V86Exception lost = new V86Exception("the guest's control shell ended while the command ran (in a command, $$ is"
                        + " that shell: 'kill $$' ends it); a new control shell took its place");
                scanner.fail(lost);
                failRunning(lost);
            }
            ready.complete(null);
        } else if (line.contains("Kernel panic")) {
            V86Exception panic = new V86Exception("the guest kernel panicked: " + line.trim());
            broken = true;
            ready.completeExceptionally(panic);
            scanner.fail(panic);
            failRunning(panic);
        }
    }

    private void onEvent(HostMessage.Event event) {
        switch (event.name()) {
            case "serial" -> {
                byte[] data = NdjsonCodec.bytes(event.body(), "data");
                if (event.body().path("port").asInt() == 0) {
                    ShellSession attached = session;
                    if (attached != null) {
                        attached.feed(data);
                    }
                    scanner.feed(data);
                } else {
                    console.accept(new String(data, StandardCharsets.UTF_8));
                }
            }
            case "output" -> {
                if (event.body().has("job")) {
                    jobEvents.accept(event);
                } else {
                    RunningCommand command = running;
                    if (command != null && command.nonce().equals(event.body().path("exec").asText())) {
                        command.output("o".equals(event.body().path("s").asText()) ? OutputFrame.Type.STDOUT : OutputFrame.Type.STDERR,
                                NdjsonCodec.bytes(event.body(), "data"));
                    }
                }
            }
            case "jobExit" -> jobEvents.accept(event);
            case "exit", "fatal" -> {
                V86Exception gone = new V86Exception(event.body().path("error").asText("the Node host ended"));
                broken = true;
                ShellSession attached = session;
                if (attached != null) {
                    attached.fail(gone);
                }
                ready.completeExceptionally(gone);
                scanner.fail(gone);
                failRunning(gone);
            }
            default -> {
                // hello, stopped: nothing to do
            }
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        host.close();
    }
}
