package dev.v86unit.tooling;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Cache#prune} prunes. Immutable.
 *
 * <pre>{@code
 * cache.prune(PruneOptions.defaults().withDryRun(true));
 * }</pre>
 *
 * @param dryRun  report what would go, delete nothing
 * @param all     remove every image no running machine uses, not only those this version no longer builds
 * @param maxWait how long to wait for machines that are starting and builds in progress (the cache lock);
 *                zero: fail at once with {@link CacheInUseException}
 */
public record PruneOptions(boolean dryRun, boolean all, Duration maxWait) {

    /** Checks the wait. */
    public PruneOptions {
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative, was " + maxWait);
        }
    }

    /** @return delete, only what this version no longer builds, waiting up to an hour for the cache */
    public static PruneOptions defaults() {
        return new PruneOptions(false, false, Duration.ofHours(1));
    }

    /** @return a copy with {@code dryRun} */
    public PruneOptions withDryRun(boolean dryRun) {
        return new PruneOptions(dryRun, all, maxWait);
    }

    /** @return a copy with {@code all} */
    public PruneOptions withAll(boolean all) {
        return new PruneOptions(dryRun, all, maxWait);
    }

    /** @return a copy with {@code maxWait} */
    public PruneOptions withMaxWait(Duration maxWait) {
        return new PruneOptions(dryRun, all, maxWait);
    }
}
