package dev.v86unit;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How to run one command: its timeout, a consumer that sees its output while it runs, and how much
 * of each stream to keep. Immutable; each {@code withX} returns a copy.
 *
 * <pre>{@code
 * ExecResult result = vm.exec("make check", ExecOptions.defaults()
 *         .withTimeout(Duration.ofMinutes(5))
 *         .withOutputConsumer(frame -> log.info("{}: {}", frame.type(), frame.utf8String().strip())));
 * }</pre>
 */
public final class ExecOptions {

    private static final ExecOptions DEFAULTS = new ExecOptions(null, null, 0);

    private final Duration timeout;
    private final Consumer<OutputFrame> outputConsumer;
    private final long outputLimit;

    private ExecOptions(Duration timeout, Consumer<OutputFrame> outputConsumer, long outputLimit) {
        this.timeout = timeout;
        this.outputConsumer = outputConsumer;
        this.outputLimit = outputLimit;
    }

    /** @return the machine's default timeout, no consumer, the configured output limit (256 MiB per stream) */
    public static ExecOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param timeout positive; past it the command is interrupted and {@link ExecTimeoutException}
     *                carries its output so far
     */
    public ExecOptions withTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return new ExecOptions(timeout, outputConsumer, outputLimit);
    }

    /**
     * @param consumer sees stdout and stderr in chunks while the command runs (in order within each
     *                 stream), on the thread that called {@code exec}; the result still holds the whole
     *                 output. If it throws, it sees no more chunks, the command still runs to its end,
     *                 and then {@code exec} throws a {@link V86Exception} with the consumer's exception
     *                 as its cause. Null for none.
     */
    public ExecOptions withOutputConsumer(Consumer<OutputFrame> consumer) {
        return new ExecOptions(timeout, consumer, outputLimit);
    }

    /**
     * @param bytesPerStream how much of stdout and of stderr the result keeps; past it the rest is
     *                       counted and dropped (the consumer still sees it), the stream ends with a
     *                       line that says so, and a WARN is logged. Default: the setting
     *                       {@code v86unit.exec.outputLimit}, else 256 MiB.
     */
    public ExecOptions withOutputLimit(long bytesPerStream) {
        if (bytesPerStream <= 0) {
            throw new IllegalArgumentException("output limit must be positive, was " + bytesPerStream);
        }
        return new ExecOptions(timeout, outputConsumer, bytesPerStream);
    }

    /** @return the timeout, or empty for the machine's default */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** @return the output consumer, or empty */
    public Optional<Consumer<OutputFrame>> outputConsumer() {
        return Optional.ofNullable(outputConsumer);
    }

    /** @return the output limit per stream in bytes, or empty for the configured default */
    public Optional<Long> outputLimit() {
        return outputLimit > 0 ? Optional.of(outputLimit) : Optional.empty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExecOptions that && Objects.equals(timeout, that.timeout)
                && Objects.equals(outputConsumer, that.outputConsumer) && outputLimit == that.outputLimit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(timeout, outputConsumer, outputLimit);
    }

    @Override
    public String toString() {
        return "ExecOptions[timeout=" + (timeout == null ? "default" : timeout) + ", outputConsumer=" + outputConsumer
                + ", outputLimit=" + (outputLimit > 0 ? outputLimit : "default") + "]";
    }
}
