package dev.v86unit.internal.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock of a whole cache directory, {@code <cache>/cache.lock}, across threads and processes. Whatever
 * writes into the cache or reads files that pruning could delete takes it <em>shared</em>: the start of a
 * machine (image build, configured layer, snapshot restore or save) and {@code Cache.image}. Pruning takes
 * it <em>exclusive</em>, so it never sees half a build or a snapshot being written, and no machine starts
 * meanwhile. A running machine holds no cache lock (a test suite would block pruning for its whole run);
 * its image's use lock ({@link ImageUse}) keeps what it needs.
 *
 * <p>In this JVM a gate of readers and one writer orders the threads; across processes a shared or exclusive
 * {@link FileLock} on the file (one shared lock for all of this JVM's shared holders).
 */
public final class CacheLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CacheLock.class);
    /** The lock file's name in the cache directory. */
    public static final String FILE = "cache.lock";
    private static final ConcurrentMap<Path, Gate> IN_JVM = new ConcurrentHashMap<>();

    /**
     * Shared or exclusive between this JVM's threads; not bound to a thread (a lock may be closed by
     * another thread than the one that took it) and without writer preference, so that a thread holding
     * it shared may take it shared again while a prune waits.
     */
    private static final class Gate {
        private int readers;
        private boolean writer;

        synchronized void enterShared() {
            boolean interrupted = false;
            while (writer) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            readers++;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized void leaveShared() {
            readers--;
            notifyAll();
        }

        synchronized boolean enterExclusive(long nanos) throws InterruptedException {
            long deadline = System.nanoTime() + nanos;
            while (writer || readers > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            writer = true;
            return true;
        }

        synchronized void leaveExclusive() {
            writer = false;
            notifyAll();
        }
    }

    private final Runnable release;
    private boolean closed;

    private CacheLock(Runnable release) {
        this.release = release;
    }

    private static Path file(Path cacheDir) {
        return cacheDir.toAbsolutePath().normalize().resolve(FILE);
    }

    private static Gate inJvm(Path cacheDir) {
        return IN_JVM.computeIfAbsent(file(cacheDir), k -> new Gate());
    }

    /** Takes the lock shared; waits while a prune (in any process) holds it exclusively. Reentrant. */
    public static CacheLock shared(Path cacheDir) {
        Gate threads = inJvm(cacheDir);
        threads.enterShared();
        SharedFileLock.Held held;
        try {
            held = SharedFileLock.acquire(file(cacheDir), "the cache " + cacheDir);
        } catch (RuntimeException e) {
            threads.leaveShared();
            throw e;
        }
        return new CacheLock(() -> {
            held.close();
            threads.leaveShared();
        });
    }

    /**
     * Takes the lock exclusively, waiting at most {@code wait} (zero: not at all) for the shared holders to
     * finish.
     *
     * @return the lock, or empty if the cache stayed in use
     */
    public static Optional<CacheLock> exclusive(Path cacheDir, Duration wait) {
        Gate threads = inJvm(cacheDir);
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            if (!threads.enterExclusive(wait.toNanos())) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            Path file = file(cacheDir);
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            while (lock == null && System.nanoTime() < deadline) {
                Thread.sleep(Math.min(200, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                lock = channel.tryLock();
            }
            if (lock == null) {
                channel.close();
                threads.leaveExclusive();
                return Optional.empty();
            }
            FileChannel held = channel;
            LOG.debug("Holding {} exclusively", file);
            return Optional.of(new CacheLock(() -> {
                try {
                    held.close();
                } catch (IOException e) {
                    LOG.debug("Closing {} failed", file, e);
                } finally {
                    threads.leaveExclusive();
                }
            }));
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            threads.leaveExclusive();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot lock the cache " + cacheDir + ": " + e.getMessage(), io);
            }
            throw (RuntimeException) e;
        } catch (InterruptedException e) {
            closeQuietly(channel);
            threads.leaveExclusive();
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock goes with the channel
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            release.run();
        }
    }
}
