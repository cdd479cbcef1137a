package dev.v86unit.internal.machine;

import static org.awaitility.Awaitility.await;

import dev.v86unit.ExecResult;
import dev.v86unit.ExecTimeoutException;
import dev.v86unit.V86Exception;
import dev.v86unit.internal.text.Excerpts;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.pollinterval.IterativePollInterval;

/** {@code waitUntilSucceeds}: a command again and again, with Awaitility, until it exits with 0. */
final class Waiting {

    /** Tries after 100 ms, 200 ms, 400 ms ... and then every second. */
    private static final Duration MAX_POLL = Duration.ofSeconds(1);
    private static final Duration MIN_ATTEMPT = Duration.ofSeconds(1);

    private Waiting() {
    }

    /**
     * @param exec        runs one attempt with a timeout (the machine's exec)
     * @param execTimeout the longest a single attempt may take
     */
    static ExecResult untilSucceeds(BiFunction<String, Duration, ExecResult> exec, String machine, String command, Duration timeout,
            Duration execTimeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        AtomicReference<ExecResult> last = new AtomicReference<>();
        AtomicReference<ExecTimeoutException> lastTimeout = new AtomicReference<>();
        try {
            await(Excerpts.quote(command) + " to succeed on " + machine).atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(IterativePollInterval.iterative(
                            previous -> previous.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : previous.multipliedBy(2),
                            Duration.ofMillis(100)))
                    .until(() -> {
                        Duration left = Duration.ofNanos(deadline - System.nanoTime());
                        Duration attempt = left.compareTo(MIN_ATTEMPT) < 0 ? MIN_ATTEMPT : left.compareTo(execTimeout) < 0 ? left : execTimeout;
                        try {
                            ExecResult result = exec.apply(command, attempt);
                            last.set(result);
                            return result.exitCode() == 0;
                        } catch (ExecTimeoutException e) {
                            lastTimeout.set(e);
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            String attempt = last.get() != null ? last.get().toString()
                    : lastTimeout.get() != null ? lastTimeout.get().getMessage() : "no attempt finished";
            throw new V86Exception(Excerpts.quote(command) + " did not succeed within " + Excerpts.duration(timeout) + " on " + machine
                    + "; the last attempt: " + attempt, e);
        }
        return last.get();
    }
}
