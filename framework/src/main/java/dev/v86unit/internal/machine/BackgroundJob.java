package dev.v86unit.internal.machine;

import static org.awaitility.Awaitility.await;

import dev.v86unit.ExecTimeoutException;
import dev.v86unit.GuestProcess;
import dev.v86unit.OutputFrame;
import dev.v86unit.V86Exception;
import dev.v86unit.internal.exec.OutputBuffer;
import dev.v86unit.internal.text.Excerpts;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A command started by {@code execInBackground}: its output as it comes, its exit code when it ends. */
final class BackgroundJob implements GuestProcess {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundJob.class);
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);

    /** What the job needs of its machine. */
    interface Machine {
        /** Sends a signal to the job's process group; false if the machine is closed. */
        boolean signal(int job, String signal);

        String name();
    }

    private final int job;
    private final String command;
    private final Machine machine;
    private final OutputBuffer stdout;
    private final OutputBuffer stderr;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile Consumer<OutputFrame> consumer;

    BackgroundJob(int job, String command, Machine machine, long outputLimit, Consumer<OutputFrame> consumer) {
        this.job = job;
        this.command = command;
        this.machine = machine;
        this.stdout = new OutputBuffer(outputLimit);
        this.stderr = new OutputBuffer(outputLimit);
        this.consumer = consumer;
    }

    int job() {
        return job;
    }

    /** On the host's reader thread. */
    void output(OutputFrame.Type type, byte[] bytes) {
        (type == OutputFrame.Type.STDOUT ? stdout : stderr).append(bytes);
        Consumer<OutputFrame> current = consumer;
        if (current != null) {
            try {
                current.accept(new OutputFrame(type, bytes));
            } catch (RuntimeException e) {
                consumer = null;
                LOG.warn("{}: the output consumer of background command {} threw; it gets no more output", machine.name(),
                        Excerpts.quote(command), e);
            }
        }
    }

    void exited(int code) {
        exit.complete(code);
    }

    /** The machine was reset, restored, restarted or closed: the process is gone, with no exit code. */
    void ended(String why) {
        exit.completeExceptionally(new V86Exception("Background command " + Excerpts.quote(command) + " on " + machine.name()
                + " has no exit code: " + why));
    }

    @Override
    public String command() {
        return command;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public int waitFor(Duration timeout) {
        try {
            return exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ExecTimeoutException(command, timeout, stdout.snapshot(), stderr.snapshot());
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new V86Exception("interrupted while waiting for " + Excerpts.quote(command), e);
        }
    }

    @Override
    public String waitForOutput(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        AtomicReference<String> found = new AtomicReference<>();
        try {
            await("output matching /" + regex + "/ from " + command).atMost(timeout).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50)).pollInSameThread()
                    .until(() -> {
                        for (String text : new String[] {stdout.text(), stderr.text()}) {
                            Matcher matcher = pattern.matcher(text);
                            if (matcher.find()) {
                                found.set(matcher.group());
                                return true;
                            }
                        }
                        return !isAlive();
                    });
        } catch (ConditionTimeoutException e) {
            throw new V86Exception("No output matching /" + regex + "/ within " + Excerpts.duration(timeout) + " from background command "
                    + describe(), e);
        }
        if (found.get() == null) {
            throw new V86Exception("Background command ended before printing a match of /" + regex + "/: " + describe());
        }
        return found.get();
    }

    @Override
    public void kill() {
        if (!isAlive()) {
            return;
        }
        for (String signal : new String[] {"TERM", "KILL"}) {
            if (!machine.signal(job, signal)) {
                return;
            }
            try {
                exit.get(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                // still alive: the next signal
            } catch (ExecutionException e) {
                return; // the machine ended it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warn("{}: background command {} still runs after SIGKILL", machine.name(), Excerpts.quote(command));
    }

    @Override
    public String stdout() {
        return stdout.text();
    }

    @Override
    public String stderr() {
        return stderr.text();
    }

    private String describe() {
        String state = exit.isCompletedExceptionally() ? "ended by the machine" : exit.isDone() ? "exit code " + exit.join() : "still running";
        return Excerpts.quote(command) + " (" + state + ")\n  stdout so far: " + Excerpts.quote(stdout())
                + "\n  stderr so far: " + Excerpts.quote(stderr());
    }

    @Override
    public String toString() {
        return "GuestProcess[" + machine.name() + " job " + job + ", " + describe().replace("\n", " ") + "]";
    }
}
