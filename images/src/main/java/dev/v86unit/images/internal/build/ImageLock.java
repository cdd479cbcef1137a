package dev.v86unit.images.internal.build;

import dev.v86unit.images.ImageBuildException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive access to one image build, across threads and processes. A file lock alone is not enough:
 * the JVM holds file locks per process, and a second lock on the same file from another thread throws
 * {@link java.nio.channels.OverlappingFileLockException} instead of waiting, so threads queue on an
 * in-process lock first. The lock file stays behind (deleting it would race with a waiting process).
 */
public final class ImageLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImageLock.class);
    private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock threadLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private ImageLock(ReentrantLock threadLock, FileChannel channel, FileLock fileLock) {
        this.threadLock = threadLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /** Blocks until no other thread or process holds the lock on {@code lockFile}. */
    public static ImageLock acquire(Path lockFile, String what) {
        Path key = canonical(lockFile);
        ReentrantLock threadLock = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        if (!threadLock.tryLock()) {
            LOG.info("Waiting for another thread to finish {}", what);
            threadLock.lock();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fileLock = channel.tryLock();
            if (fileLock == null) {
                LOG.info("Waiting for another process to finish {} (lock file {})", what, key);
                fileLock = channel.lock();
            }
            return new ImageLock(threadLock, channel, fileLock);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            threadLock.unlock();
            throw new ImageBuildException("Cannot lock " + key + " for " + what + ": " + e.getMessage(), e);
        }
    }

    /** One key per file, however it is spelled (relative, via a symlink), so that threads really queue. */
    private static Path canonical(Path lockFile) {
        Path absolute = lockFile.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute.getParent());
            return absolute.getParent().toRealPath().resolve(absolute.getFileName());
        } catch (IOException e) {
            throw new ImageBuildException("Cannot create the directory of " + absolute + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            fileLock.release();
        } catch (IOException e) {
            LOG.debug("Releasing {} failed; closing the channel releases it anyway", fileLock, e);
        } finally {
            closeQuietly(channel);
            threadLock.unlock();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock goes with the channel; nothing else to clean up
            }
        }
    }
}
