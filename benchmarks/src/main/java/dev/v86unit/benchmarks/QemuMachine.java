package dev.v86unit.benchmarks;

import dev.v86unit.images.Image;
import dev.v86unit.tooling.ConsoleScanner;
import dev.v86unit.tooling.GuestProtocol;
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
import java.util.concurrent.locks.LockSupport;

/**
 * The same kernel, initramfs and control protocol under QEMU's TCG (software emulation), for a
 * side-by-side comparison: serial console on stdio, the 9p share as virtio-9p. The guest side is
 * v86unit's own (the same command lines, FIFOs and forwarders); QEMU writes the forwarders' files
 * to a host folder, which this class reads as they grow, looking for the end markers, where the
 * Node host intercepts the writes instead.
 */
final class QemuMachine implements AutoCloseable {

    private static final String SHARE = "/mnt/v86unit/.v86unit";
    /** How long exec waits between two looks at the forwarders' files for the end markers. */
    private static final long POLL_NANOS = 50_000;

    private final Process process;
    private final OutputStream stdin;
    private final ConsoleScanner scanner;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Path share;
    private long stdoutOffset;
    private long stderrOffset;
    private long lastOutputBytes;

    private QemuMachine(Process process, ConsoleScanner scanner, Path share) {
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
        return boot(qemu, image, "none");
    }

    /**
     * Boots with QEMU's user networking, each guest port forwarded from a free port of 127.0.0.1
     * ({@code hostfwd}); the guest gets slirp's address, and host.v86unit.internal is slirp's
     * 10.0.2.2, which QEMU connects to the host's 127.0.0.1.
     *
     * @param forwards guest port -> host port, filled in here
     */
    static QemuMachine bootWithPorts(Path qemu, Image image, java.util.List<Integer> guestPorts, java.util.Map<Integer, Integer> forwards)
            throws Exception {
        StringBuilder nic = new StringBuilder("user,model=virtio-net-pci");
        for (int guestPort : guestPorts) {
            int hostPort;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                hostPort = free.getLocalPort();
            }
            forwards.put(guestPort, hostPort);
            nic.append(",hostfwd=tcp:127.0.0.1:").append(hostPort).append("-:").append(guestPort);
        }
        QemuMachine vm = boot(qemu, image, nic.toString());
        if (vm.exec("ip addr flush dev eth0; ip addr add 10.0.2.15/24 dev eth0 && ip link set eth0 up"
                + " && ip route replace default via 10.0.2.2 && sed -i 's/^192.168.86.1/10.0.2.2/' /etc/hosts") != 0) {
            vm.close();
            throw new IOException("QEMU: could not configure the guest's network");
        }
        return vm;
    }

    private static QemuMachine boot(Path qemu, Image image, String nic) throws IOException {
        Path share = Files.createTempDirectory("v86unit-qemu-share");
        Process process = new ProcessBuilder(qemu.toString(), "-accel", "tcg", "-m", Integer.toString(image.memoryMb()),
                "-kernel", image.kernel().toString(), "-initrd", image.initrd().toString(), "-append", image.cmdline(),
                "-display", "none", "-vga", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot", "-nic", nic,
                "-virtfs", "local,path=" + share + ",mount_tag=host9p,security_model=none,id=share")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        QemuMachine[] self = new QemuMachine[1];
        ConsoleScanner scanner = new ConsoleScanner(line -> {
            if (line.contains("v86unit: ready")) {
                self[0].ready.complete(null);
            }
        });
        self[0] = new QemuMachine(process, scanner, share);
        self[0].startReader();
        try {
            self[0].ready.get(3, TimeUnit.MINUTES);
            Files.createDirectories(share.resolve(".v86unit"));
            for (var file : GuestProtocol.shareFiles().entrySet()) {
                Files.writeString(share.resolve(file.getKey()), file.getValue(), StandardCharsets.US_ASCII);
            }
            self[0].run(GuestProtocol.protocolMode(), Duration.ofSeconds(60));
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

    /** Runs a command the way v86unit does and waits for its output to have arrived complete; @return its exit code */
    int exec(String command) throws Exception {
        String nonce = GuestProtocol.newNonce();
        send(GuestProtocol.commandLine(command, nonce));
        byte[] end = GuestProtocol.endMarkerPrefix(nonce).getBytes(StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        long[] out = null;
        long[] err = null;
        while (out == null || err == null) {
            if (System.nanoTime() > deadline) {
                throw new IOException("QEMU: no end marker for " + command);
            }
            if (out == null) {
                out = find(share.resolve(".v86unit/so"), stdoutOffset, end);
            }
            if (err == null) {
                err = find(share.resolve(".v86unit/se"), stderrOffset, end);
            }
            if (out == null || err == null) {
                // ~0.1 ms between looks; Thread.sleep(0, 200_000) slept 1.1 ms on Java 17 (it rounds
                // up to a whole millisecond), which added ~0.5 ms to QEMU's median exec("true")
                LockSupport.parkNanos(POLL_NANOS);
            }
        }
        lastOutputBytes = out[0] - stdoutOffset + err[0] - stderrOffset;
        stdoutOffset = out[1];
        stderrOffset = err[1];
        return Integer.parseInt(new String(read(share.resolve(".v86unit/so"), out[0] + end.length, 3), StandardCharsets.US_ASCII));
    }

    /** @return how many bytes of stdout and stderr the last command wrote */
    long lastOutputBytes() {
        return lastOutputBytes;
    }

    /** @return {where the marker starts, where it ends} in the file after {@code from}, or null */
    private static long[] find(Path file, long from, byte[] marker) throws IOException {
        if (!Files.exists(file) || Files.size(file) < from + marker.length + 5) {
            return null;
        }
        // the marker ends the file: the forwarder writes it last
        long size = Files.size(file);
        byte[] tail = read(file, size - marker.length - 5, marker.length + 5);
        for (int i = 0; i < marker.length; i++) {
            if (tail[i] != marker[i]) {
                return null;
            }
        }
        return new long[] {size - marker.length - 5, size};
    }

    /** @return the text of a file the guest wrote at the top of its share ({@code /mnt/v86unit/<name>}) */
    String shareFile(String name) throws IOException {
        return Files.readString(share.resolve(name), StandardCharsets.UTF_8);
    }

    private static byte[] read(Path file, long offset, int length) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                // read on
            }
            return buffer.array();
        }
    }

    private void run(String prefix, Duration timeout) throws Exception {
        String nonce = GuestProtocol.newNonce();
        CompletableFuture<Integer> status = scanner.expect(nonce);
        send(prefix + GuestProtocol.printStatus(nonce) + "\n");
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
        org.apache.commons.io.FileUtils.deleteQuietly(share.toFile());   // a temporary folder: best effort
    }
}
