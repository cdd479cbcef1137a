package dev.v86unit.benchmarks;

import dev.v86unit.images.Image;
import dev.v86unit.internal.exec.CommandLine;
import dev.v86unit.internal.exec.SentinelScanner;
import dev.v86unit.internal.exec.Sentinels;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The same kernel, initramfs and control protocol under QEMU's TCG (software emulation), for a
 * side-by-side comparison: serial console on stdio, the 9p share as virtio-9p.
 */
final class QemuMachine implements AutoCloseable {

    private static final String SHARE = "/mnt/v86unit/.v86unit";

    private final Process process;
    private final OutputStream stdin;
    private final SentinelScanner scanner;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Path share;

    private QemuMachine(Process process, SentinelScanner scanner, Path share) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.scanner = scanner;
        this.share = share;
    }

    /** @return the qemu-system-i386 on PATH, if there is one */
    static Optional<Path> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "qemu-system-i386");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Boots to the control shell in protocol mode. */
    static QemuMachine boot(Path qemu, Image image) throws IOException {
        Path share = Files.createTempDirectory("v86unit-qemu-share");
        Process process = new ProcessBuilder(qemu.toString(), "-accel", "tcg", "-m", Integer.toString(image.memoryMb()),
                "-kernel", image.kernel().toString(), "-initrd", image.initrd().toString(), "-append", image.cmdline(),
                "-display", "none", "-vga", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot", "-nic", "none",
                "-virtfs", "local,path=" + share + ",mount_tag=host9p,security_model=none,id=share")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        QemuMachine[] self = new QemuMachine[1];
        SentinelScanner scanner = new SentinelScanner(line -> {
            if (line.contains("v86unit: ready")) {
                self[0].ready.complete(null);
            }
        });
        self[0] = new QemuMachine(process, scanner, share);
        self[0].startReader();
        try {
            self[0].ready.get(3, TimeUnit.MINUTES);
            self[0].run("stty -echo -opost; PS1=''; PS2=''; ", Duration.ofSeconds(60));
        } catch (Exception e) {
            self[0].close();
            throw new IOException("QEMU did not boot: " + e, e);
        }
        return self[0];
    }

    private void startReader() {
        Thread reader = new Thread(() -> {
            try (InputStream out = process.getInputStream()) {
                byte[] buffer = new byte[8192];
                int read;
                while ((read = out.read(buffer)) != -1) {
                    scanner.feed(java.util.Arrays.copyOf(buffer, read));
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "qemu-serial");
        reader.setDaemon(true);
        reader.start();
    }

    /** Runs a command the way v86unit does (subshell, output to files on the 9p share) and reads them back. */
    int exec(String command) throws Exception {
        String nonce = Sentinels.newNonce();
        CompletableFuture<Integer> status = scanner.expect(nonce);
        send(CommandLine.line("eval " + CommandLine.singleQuoted(command), SHARE + "/out", SHARE + "/err", nonce));
        int exit = status.get(60, TimeUnit.SECONDS);
        Files.readAllBytes(share.resolve(".v86unit/out"));
        Files.readAllBytes(share.resolve(".v86unit/err"));
        return exit;
    }

    private void run(String prefix, Duration timeout) throws Exception {
        String nonce = Sentinels.newNonce();
        CompletableFuture<Integer> status = scanner.expect(nonce);
        send(prefix + Sentinels.printStatus(nonce) + "\n");
        status.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void send(String text) throws IOException {
        stdin.write(text.getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
