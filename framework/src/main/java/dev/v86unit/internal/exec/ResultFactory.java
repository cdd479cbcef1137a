package dev.v86unit.internal.exec;

import dev.v86unit.ExecResult;
import java.time.Duration;

/**
 * Makes {@link ExecResult}s from output arrays that the framework built and hands over, so that a
 * large output is not copied once more ({@code ExecResult}'s public constructor copies what callers
 * pass it, as an immutable value must).
 */
public final class ResultFactory {

    private static final ThreadLocal<Boolean> HANDING_OVER = new ThreadLocal<>();

    private ResultFactory() {
    }

    /** @return a result that owns {@code stdout} and {@code stderr}; the caller must not touch them again */
    public static ExecResult handOver(String command, int exitCode, byte[] stdout, byte[] stderr, Duration duration) {
        HANDING_OVER.set(Boolean.TRUE);
        try {
            return new ExecResult(command, exitCode, stdout, stderr, duration);
        } finally {
            HANDING_OVER.remove();
        }
    }

    /** @return true inside {@link #handOver}, on its thread: the arrays need no copy */
    public static boolean handingOver() {
        return HANDING_OVER.get() != null;
    }
}
