package dev.v86unit.internal.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shared (read) file lock held by this JVM for as many holders as want it: the JVM holds file locks
 * per process, and a second lock on the same file from this JVM would throw
 * {@link OverlappingFileLockException} instead of sharing, so holders are counted and the one
 * {@link FileLock} is released by the last. Another process's exclusive lock makes the first holder wait.
 */
final class SharedFileLock {

    private static final Logger LOG = LoggerFactory.getLogger(SharedFileLock.class);
    /** Guarded by itself. */
    private static final Map<Path, Entry> HELD = new HashMap<>();

    private static final class Entry {
        FileChannel channel;
        FileLock lock;
        int holders;
    }

    private SharedFileLock() {
    }

    /** A holder's share of the lock; closing it twice is harmless. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Blocks while another process holds {@code file} exclusively; {@code what} is for the log. */
    static Held acquire(Path file, String what) {
        Path key = file.toAbsolutePath().normalize();
        Entry entry;
        synchronized (HELD) {
            entry = HELD.computeIfAbsent(key, k -> new Entry());
            entry.holders++;
        }
        try {
            synchronized (entry) {
                if (entry.lock == null) {
                    Files.createDirectories(key.getParent());
                    FileChannel channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
                    try {
                        FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true);
                        if (lock == null) {
                            LOG.info("Waiting for another process that uses {} exclusively ({}; lock file {})", what,
                                    "v86unit-cli prune", key);
                            lock = channel.lock(0, Long.MAX_VALUE, true);
                        }
                        entry.channel = channel;
                        entry.lock = lock;
                    } catch (IOException | RuntimeException e) {
                        channel.close();
                        throw e;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            release(key, entry);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot lock " + key + " (" + what + "): " + e.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
        return new Held() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    release(key, entry);
                }
            }
        };
    }

    private static void release(Path key, Entry entry) {
        // closed under HELD: a new holder must not open its own lock while this one is still held (the
        // JVM would refuse it as overlapping)
        synchronized (HELD) {
            if (--entry.holders > 0) {
                return;
            }
            HELD.remove(key);
            try {
                if (entry.channel != null) {
                    entry.channel.close(); // releases the lock
                }
            } catch (IOException e) {
                LOG.debug("Closing {} failed", key, e);
            } finally {
                entry.channel = null;
                entry.lock = null;
            }
        }
    }

    /**
     * @return whether an exclusive lock on {@code file} could be taken right now (then it is released at once):
     *         false while any process, this one included, holds it; true if the file does not exist
     */
    static boolean free(Path file) {
        if (!Files.exists(file)) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false;
            }
            lock.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false;
        } catch (IOException e) {
            return !Files.exists(file);
        }
    }
}
