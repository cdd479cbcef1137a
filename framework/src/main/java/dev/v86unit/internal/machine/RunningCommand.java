package dev.v86unit.internal.machine;

import dev.v86unit.OutputFrame;
import dev.v86unit.internal.exec.OutputBuffer;
import dev.v86unit.internal.text.Excerpts;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command in flight: the host's reader thread queues its output chunks and its end; the thread
 * that called {@code exec} takes them, keeps the output and calls the consumer. So a consumer runs
 * on the caller's thread and a slow one never stalls the host connection.
 */
final class RunningCommand {

    private static final Logger LOG = LoggerFactory.getLogger(RunningCommand.class);

    private sealed interface Event permits Chunk, Exit, Failure {
    }

    private record Chunk(OutputFrame.Type type, byte[] bytes) implements Event {
    }

    private record Exit(int code) implements Event {
    }

    private record Failure(RuntimeException cause) implements Event {
    }

    private final String nonce;
    private final String command;
    private final String machine;
    private final OutputBuffer stdout;
    private final OutputBuffer stderr;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private Consumer<OutputFrame> consumer;
    private RuntimeException consumerFailure;

    RunningCommand(String machine, String command, String nonce, long outputLimit, Consumer<OutputFrame> consumer) {
        this.machine = machine;
        this.command = command;
        this.nonce = nonce;
        this.stdout = new OutputBuffer(outputLimit);
        this.stderr = new OutputBuffer(outputLimit);
        this.consumer = consumer;
    }

    String nonce() {
        return nonce;
    }

    // --- the reader thread

    void output(OutputFrame.Type type, byte[] bytes) {
        events.add(new Chunk(type, bytes));
    }

    void exited(int code) {
        events.add(new Exit(code));
    }

    void failed(RuntimeException cause) {
        events.add(new Failure(cause));
    }

    // --- the caller's thread

    /**
     * Takes output until the command ends.
     *
     * @return its exit code
     * @throws TimeoutException if it has not ended within {@code timeout} (the output so far is kept)
     * @throws RuntimeException what the link reported: the host died, the shell ended, a panic
     */
    int await(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new TimeoutException();
            }
            if (event instanceof Chunk chunk) {
                take(chunk);
            } else if (event instanceof Exit exit) {
                return exit.code();
            } else if (event instanceof Failure failure) {
                throw failure.cause();
            }
        }
    }

    /** Takes what has arrived without waiting (after a timeout, for the partial output). */
    void drain() {
        for (Event event; (event = events.poll()) != null; ) {
            if (event instanceof Chunk chunk) {
                take(chunk);
            }
        }
    }

    private void take(Chunk chunk) {
        OutputBuffer buffer = chunk.type() == OutputFrame.Type.STDOUT ? stdout : stderr;
        if (buffer.append(chunk.bytes())) {
            LOG.warn("{}: the {} of {} passed the output limit; the rest is counted, not kept"
                    + " (ExecOptions.withOutputLimit or the setting v86unit.exec.outputLimit)", machine,
                    chunk.type().name().toLowerCase(java.util.Locale.ROOT), Excerpts.quote(command));
        }
        if (consumer != null) {
            try {
                consumer.accept(new OutputFrame(chunk.type(), chunk.bytes()));
            } catch (RuntimeException e) {
                consumerFailure = e;
                consumer = null;
            }
        }
    }

    OutputBuffer stdout() {
        return stdout;
    }

    OutputBuffer stderr() {
        return stderr;
    }

    /** @return what the output consumer threw, or null */
    RuntimeException consumerFailure() {
        return consumerFailure;
    }
}
