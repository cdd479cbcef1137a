package dev.v86unit.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Ports, the same workloads against v86unit and QEMU TCG user networking ({@code -nic user,hostfwd=}):
 * connect + a small HTTP request/response, a round trip on an open connection, bulk both ways. Only
 * loopback traffic: the guest's servers are reached through 127.0.0.1, the guest reaches a server of
 * this JVM on 127.0.0.1 as host.v86unit.internal.
 */
final class NetworkBenchmark {

    static final int HTTP_PORT = 8080;
    static final int SINK_PORT = 7001;
    static final int ECHO_PORT = 7002;
    static final int BULK_BYTES = 8 * 1024 * 1024;
    static final String LATENCY_ROW = "ports: connect + HTTP GET of a small file from Java (busybox httpd: a fork per request)";
    static final String ROUND_TRIP_ROW = "ports: 64-byte round trip on an open connection";
    static final String IN_ROW = "ports: 8 MiB host -> guest";
    static final String OUT_ROW = "ports: 8 MiB guest -> host";
    static final String DOWNLOAD_ROW = "ports: 8 MiB guest -> host as an HTTP download from busybox httpd (sendfile) to Java";

    /** What the benchmark needs of a machine: a command, and the host port of a guest port. */
    interface Guest {
        void run(String command) throws Exception;

        int hostPort(int guestPort);
    }

    private NetworkBenchmark() {
    }

    /**
     * @param guest     a machine with {@link #HTTP_PORT}, {@link #SINK_PORT} and {@link #ECHO_PORT} exposed
     * @param sinkServer a loopback server the guest may reach (its port allowed); the guest sends bulk to it
     * @param samples   gets (row, duration)
     * @param notes     gets throughput lines
     */
    static void measure(String who, Guest guest, ServerSocket sinkServer, int runs, BiConsumer<String, Duration> samples,
            Consumer<String> notes) throws Exception {
        guest.run("mkdir -p /srv && echo hello > /srv/index.html && httpd -p " + HTTP_PORT + " -h /srv");
        waitUntilAnswers(guest.hostPort(HTTP_PORT));
        for (int i = 0; i < 10; i++) {
            httpGet(guest.hostPort(HTTP_PORT));
        }
        for (int i = 0; i < 50; i++) {
            long start = System.nanoTime();
            httpGet(guest.hostPort(HTTP_PORT));
            samples.accept(LATENCY_ROW, since(start));
        }
        guest.run("(nc -l -p " + ECHO_PORT + " -e cat >/dev/null 2>&1 &)");
        try (Socket echo = connectWhenListening(guest.hostPort(ECHO_PORT))) {
            byte[] message = new byte[64];
            InputStream in = echo.getInputStream();
            OutputStream out = echo.getOutputStream();
            for (int i = 0; i < 110; i++) {
                long start = System.nanoTime();
                out.write(message);
                out.flush();
                in.readNBytes(64);
                if (i >= 10) {
                    samples.accept(ROUND_TRIP_ROW, since(start));
                }
            }
        }
        for (int run = 0; run < runs + 1; run++) {
            // nc's stdin must not end: busybox nc stops reading the connection at the end of its stdin
            guest.run("(sleep 600 | nc -l -p " + SINK_PORT + " >/dev/null 2>&1 &)");
            try (Socket sink = connectWhenListening(guest.hostPort(SINK_PORT))) {
                long start = System.nanoTime();
                byte[] chunk = new byte[64 * 1024];
                OutputStream out = sink.getOutputStream();
                for (int sent = 0; sent < BULK_BYTES; sent += chunk.length) {
                    out.write(chunk);
                }
                sink.shutdownOutput();
                sink.getInputStream().readAllBytes(); // the guest closes once it has read everything
                Duration took = since(start);
                if (run > 0) { // the first one warms up the emulator's code for this path (7.8-12.1 MB/s, then 24.8-25.8, measured)
                    samples.accept(IN_ROW, took);
                    notes.accept(String.format(Locale.ROOT, "%s: host -> guest %.2f MB/s", who, BULK_BYTES / 1e6 / (took.toNanos() / 1e9)));
                }
            }
            if (run == 0) {
                continue;
            }
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
                try (Socket socket = sinkServer.accept(); InputStream in = socket.getInputStream()) {
                    return in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            long start = System.nanoTime();
            guest.run("dd if=/dev/zero bs=65536 count=" + BULK_BYTES / 65536 + " 2>/dev/null | nc host.v86unit.internal "
                    + sinkServer.getLocalPort());
            long bytes = received.get(5, TimeUnit.MINUTES);
            Duration took = since(start);
            if (bytes != BULK_BYTES) {
                throw new IllegalStateException(who + ": the guest sent " + bytes + " bytes, not " + BULK_BYTES);
            }
            samples.accept(OUT_ROW, took);
            notes.accept(String.format(Locale.ROOT, "%s: guest -> host %.2f MB/s", who, BULK_BYTES / 1e6 / (took.toNanos() / 1e9)));
        }
        // The same direction without nc's small reads and writes: the guest kernel sends the file itself.
        guest.run("dd if=/dev/zero of=/srv/big bs=65536 count=" + BULK_BYTES / 65536 + " 2>/dev/null");
        for (int run = 0; run < runs + 1; run++) {
            long start = System.nanoTime();
            long bytes;
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), guest.hostPort(HTTP_PORT))) {
                socket.setSoTimeout(120_000);
                socket.getOutputStream().write("GET /big HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                bytes = socket.getInputStream().transferTo(OutputStream.nullOutputStream());
            }
            Duration took = since(start);
            if (bytes < BULK_BYTES) {
                throw new IllegalStateException(who + ": the download of /big gave " + bytes + " bytes, not " + BULK_BYTES + " and headers");
            }
            if (run > 0) { // the first one warms up the emulator's code for this path
                samples.accept(DOWNLOAD_ROW, took);
                notes.accept(String.format(Locale.ROOT, "%s: download guest -> host %.2f MB/s", who, BULK_BYTES / 1e6 / (took.toNanos() / 1e9)));
            }
        }
    }

    /** 100 sequential connections, and the Node host's resident set and open sockets before and after. */
    static String leakCheck(Guest guest) throws Exception {
        long pid = nodePid();
        long rssBefore = rssKb(pid);
        long socketsBefore = sockets(pid);
        for (int i = 0; i < 100; i++) {
            httpGet(guest.hostPort(HTTP_PORT));
        }
        Thread.sleep(1000);
        return String.format(Locale.ROOT, "v86unit: 100 sequential connections: Node host RSS %d -> %d MB, open sockets %d -> %d",
                rssBefore / 1024, rssKb(pid) / 1024, socketsBefore, sockets(pid));
    }

    static ServerSocket sinkServer() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    private static void httpGet(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write("GET /index.html HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!response.startsWith("HTTP/1.") || !response.endsWith("hello\n")) {
                throw new IOException("unexpected answer: " + response);
            }
        }
    }

    private static void waitUntilAnswers(int port) {
        org.awaitility.Awaitility.await("the guest's port " + port + " to answer an HTTP GET")
                .atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    httpGet(port);
                    return true;
                });
    }

    /** A guest server started in the background: connect once it accepts (a first attempt may come too early). */
    private static Socket connectWhenListening(int port) throws Exception {
        Thread.sleep(300);
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(120_000);
        return socket;
    }

    private static long nodePid() {
        return ProcessHandle.current().children().filter(p -> p.info().command().map(c -> c.endsWith("node")).orElse(false))
                .mapToLong(ProcessHandle::pid).max().orElseThrow(() -> new IllegalStateException("no Node host"));
    }

    private static long rssKb(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1);
    }

    private static long sockets(long pid) throws IOException {
        long count = 0;
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        count++;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return count;
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    static List<Integer> guestPorts() {
        return List.of(HTTP_PORT, SINK_PORT, ECHO_PORT);
    }
}
