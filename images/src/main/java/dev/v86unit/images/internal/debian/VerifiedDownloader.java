package dev.v86unit.images.internal.debian;

import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.internal.io.AtomicFiles;
import dev.v86unit.images.internal.io.Human;
import dev.v86unit.images.internal.io.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * Downloads that are checked against an expected size and sha256 before anyone sees them. Files are
 * written to a temporary file, fsynced and renamed into place, so the target is either absent or
 * complete and verified. Transient network failures are retried a few times.
 */
public final class VerifiedDownloader {

    private static final Logger LOG = LoggerFactory.getLogger(VerifiedDownloader.class);
    private static final int ATTEMPTS = 3;

    private final HttpSource http;

    public VerifiedDownloader(HttpSource http) {
        this.http = http;
    }

    /** Fetches a file that has no checksum yet (the InRelease file, verified by its signature instead). */
    public byte[] fetchUnverified(URI uri, long maxSize) {
        return withRetries(uri, () -> {
            try (InputStream in = http.open(uri)) {
                byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxSize + 1));
                if (data.length > maxSize) {
                    throw new ImageBuildException(uri + " is larger than the allowed " + maxSize + " bytes");
                }
                return data;
            }
        });
    }

    /** Fetches a small file into memory and checks it. */
    public byte[] fetch(URI uri, String sha256, long size, String what) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new ImageBuildException(what + " at " + uri + " is too large to hold in memory: " + size + " bytes");
        }
        return withRetries(uri, () -> {
            long start = System.nanoTime();
            ByteArrayOutputStream buffer = new ByteArrayOutputStream((int) size);
            MessageDigest digest = Sha256.newDigest();
            try (InputStream in = http.open(uri)) {
                copy(in, buffer, digest, size, uri, what);
            }
            check(digest, sha256, uri, what);
            logDownloaded(what, size, start);
            return buffer.toByteArray();
        });
    }

    /** Downloads to {@code target} (replacing it) and checks it; the file appears only if it is correct. */
    public void download(URI uri, Path target, String sha256, long size, String what) {
        withRetries(uri, () -> {
            long start = System.nanoTime();
            Files.createDirectories(target.getParent());
            Path temp = AtomicFiles.tempSibling(target);
            try {
                MessageDigest digest = Sha256.newDigest();
                try (InputStream in = http.open(uri);
                     OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW)) {
                    copy(in, out, digest, size, uri, what);
                }
                check(digest, sha256, uri, what);
                AtomicFiles.fsync(temp);
                AtomicFiles.moveAtomically(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }
            logDownloaded(what, size, start);
            return null;
        });
    }

    private static void copy(InputStream in, OutputStream out, MessageDigest digest, long expectedSize, URI uri,
                             String what) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > expectedSize) {
                throw new ImageBuildException(what + ": size mismatch for " + uri + ": expected " + expectedSize
                        + " bytes, received more");
            }
            digest.update(buffer, 0, n);
            out.write(buffer, 0, n);
        }
        if (total != expectedSize) {
            throw new ImageBuildException(what + ": size mismatch for " + uri + ": expected " + expectedSize
                    + " bytes, received " + total);
        }
    }

    private static void check(MessageDigest digest, String expected, URI uri, String what) {
        String actual = Sha256.hex(digest);
        if (!actual.equalsIgnoreCase(expected)) {
            throw new ImageBuildException(what + ": sha256 mismatch for " + uri + ": expected " + expected
                    + ", actual " + actual);
        }
    }

    private static void logDownloaded(String what, long size, long startNanos) {
        LOG.info("Downloaded {} ({}) in {}", what, Human.size(size),
                Human.duration(Duration.ofNanos(System.nanoTime() - startNanos)));
    }

    private interface Attempt<T> {
        T run() throws IOException;
    }

    private static <T> T withRetries(URI uri, Attempt<T> attempt) {
        for (int i = 1; ; i++) {
            try {
                return attempt.run();
            } catch (IOException e) {
                boolean permanent = e instanceof HttpStatusException status && status.status() < 500;
                if (permanent || i == ATTEMPTS) {
                    throw new ImageBuildException("Cannot download " + uri + ": " + e, e);
                }
                LOG.warn("Download of {} failed ({}); retrying ({}/{})", uri, e.toString(), i + 1, ATTEMPTS);
                sleep(i * 1000L);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException("Interrupted while waiting to retry a download", e);
        }
    }
}
