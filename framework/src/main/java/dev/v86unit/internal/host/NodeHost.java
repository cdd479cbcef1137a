package dev.v86unit.internal.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.v86unit.V86Exception;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one {@code node host.mjs} process: sends requests, matches answers to them
 * by id, and hands events (serial output) to a listener on its reader thread. The process ends
 * when {@link #close()} is called, when the JVM exits (shutdown hook), or, if the JVM dies hard,
 * when the host sees its stdin close.
 */
public final class NodeHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeHost.class);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final int STDERR_LINES_KEPT = 40;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "v86unit-node-reaper"));
    }

    private final String name;
    private final Process process;
    private final OutputStream stdin;
    private final Consumer<HostMessage.Event> events;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final CompletableFuture<Void> exited = new CompletableFuture<>();
    private volatile boolean closing;

    private NodeHost(String name, Process process, Consumer<HostMessage.Event> events) {
        this.name = name;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.events = events;
    }

    /**
     * Starts a host process.
     *
     * @param name   a name for threads and log lines, e.g. {@code busybox#1}
     * @param events called on the reader thread for every event; must not block
     */
    public static NodeHost start(HostRuntime runtime, String name, Consumer<HostMessage.Event> events) {
        ProcessBuilder builder = new ProcessBuilder(runtime.node(), "--max-old-space-size=4096", runtime.hostScript().toString());
        builder.directory(runtime.hostScript().getParent().toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new V86Exception("cannot start the Node host '" + runtime.node() + " " + runtime.hostScript() + "': " + e.getMessage(), e);
        }
        LIVE.add(process);
        NodeHost host = new NodeHost(name, process, events);
        host.startThreads();
        return host;
    }

    private void startThreads() {
        Thread reader = new Thread(this::readStdout, "v86unit-host-" + name);
        reader.setDaemon(true);
        reader.start();
        Thread errors = new Thread(this::readStderr, "v86unit-host-stderr-" + name);
        errors.setDaemon(true);
        errors.start();
    }

    /** Sends a request without waiting; the future completes with the answer's body or fails with its error. */
    public CompletableFuture<JsonNode> request(String op, ObjectNode fields) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        if (exited.isDone()) {
            failPending();
            return answer;
        }
        String line = NdjsonCodec.encodeRequest(id, op, fields) + "\n";
        try {
            synchronized (stdin) {
                stdin.write(line.getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
        } catch (IOException e) {
            pending.remove(id);
            answer.completeExceptionally(failure("could not send '" + op + "' to the Node host", e));
        }
        return answer;
    }

    /** Sends a request and waits for its answer. */
    public JsonNode call(String op, ObjectNode fields, Duration timeout) {
        return await(request(op, fields), op, timeout);
    }

    /** Waits for an answer from {@link #request}, turning failures into {@link V86Exception}s. */
    public JsonNode await(CompletableFuture<JsonNode> answer, String op, Duration timeout) {
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw failure("the Node host did not answer '" + op + "' within " + timeout.toSeconds() + " s", null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof V86Exception v86) {
                throw new V86Exception("'" + op + "' failed: " + v86.getMessage(), v86);
            }
            throw failure("'" + op + "' failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new V86Exception("interrupted while waiting for '" + op + "'", e);
        }
    }

    /** @return true while the Node process runs */
    public boolean isAlive() {
        return process.isAlive() && !exited.isDone();
    }

    /** @return a future that completes when the host process has gone */
    public CompletableFuture<Void> exited() {
        return exited;
    }

    /** @return the process id of the Node process */
    public long pid() {
        return process.pid();
    }

    /** @return the last lines the host wrote to stderr, for error messages */
    public String stderrTail() {
        synchronized (stderrTail) {
            return String.join("\n", stderrTail);
        }
    }

    /** Asks the host to stop the emulator and exit; kills it if it does not within a few seconds. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            if (process.isAlive()) {
                request("shutdown", null);
                stdin.close();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    LOG.warn("Node host {} did not exit within 5 s; killing it", name);
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(process);
        }
    }

    private void readStdout() {
        try (InputStream stdout = process.getInputStream()) {
            LineReader lines = new LineReader(stdout);
            int length;
            while ((length = lines.next()) >= 0) {
                dispatch(lines.buffer(), lines.lineStart(), length);
            }
        } catch (IOException e) {
            LOG.debug("Node host {}: stdout closed: {}", name, e.toString());
        } finally {
            waitForExit();
            exited.complete(null);
            LIVE.remove(process);
            failPending();
            if (!closing) {
                events.accept(new HostMessage.Event("exit", NdjsonCodec.object().put("error", exitDescription())));
            }
        }
    }

    private void dispatch(byte[] line, int offset, int length) {
        HostMessage message;
        try {
            message = NdjsonCodec.decode(line, offset, length);
        } catch (IllegalArgumentException e) {
            LOG.warn("Node host {} printed a line outside the protocol: {}", name, e.getMessage());
            return;
        }
        if (message instanceof HostMessage.Response response) {
            CompletableFuture<JsonNode> answer = pending.remove(response.id());
            if (answer == null) {
                LOG.warn("Node host {} answered request {} that nobody waits for", name, response.id());
            } else if (response.ok()) {
                answer.complete(response.body());
            } else {
                answer.completeExceptionally(new V86Exception("the Node host reported: " + response.error()));
            }
        } else if (message instanceof HostMessage.Event event) {
            try {
                events.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("Node host {}: event listener failed on '{}'", name, event.name(), e);
            }
        } else if (message instanceof HostMessage.Unmatched unmatched) {
            LOG.warn("Node host {} rejected a request: {}", name, unmatched.error());
        }
    }

    private void readStderr() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                LOG.debug("Node host {} stderr: {}", name, line);
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    if (stderrTail.size() > STDERR_LINES_KEPT) {
                        stderrTail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("Node host {}: stderr closed: {}", name, e.toString());
        }
    }

    private void waitForExit() {
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String exitDescription() {
        String code = process.isAlive() ? "still running" : "exit code " + process.exitValue();
        String tail = stderrTail();
        return "the Node host " + name + " (pid " + process.pid() + ") ended (" + code + ")"
                + (tail.isEmpty() ? "" : "; its last stderr lines:\n" + tail);
    }

    private void failPending() {
        V86Exception gone = new V86Exception(exitDescription());
        pending.values().forEach(answer -> answer.completeExceptionally(gone));
        pending.clear();
    }

    private V86Exception failure(String message, Throwable cause) {
        String detail = isAlive() ? "" : "; " + exitDescription();
        return new V86Exception(message + (cause != null && cause.getMessage() != null ? ": " + cause.getMessage() : "") + detail, cause);
    }
}
