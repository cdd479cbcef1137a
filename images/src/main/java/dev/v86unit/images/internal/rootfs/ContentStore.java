package dev.v86unit.images.internal.rootfs;

import dev.v86unit.images.internal.io.AtomicFiles;
import dev.v86unit.images.internal.io.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The flat, content-addressed folder that v86 reads root filesystem files from ({@code baseurl} +
 * name): each file is named by the lowercase sha256 hex of its content, so identical files are stored
 * once, and all images built into one cache share it. A file appears only complete (temp + fsync +
 * rename) and is never rewritten; one that is present but damaged is replaced when a build meets it.
 * Files that no image or layer names any more are removed by the framework's prune ({@code v86unit-cli prune}).
 */
public final class ContentStore {

    private static final Logger LOG = LoggerFactory.getLogger(ContentStore.class);

    /** The store's folder name in the images directory. */
    public static final String DIR_NAME = "rootfs-store";
    static final Pattern NAME = Pattern.compile("[0-9a-f]{64}");
    /** Larger files are streamed through a temporary file instead of held in memory. */
    private static final long IN_MEMORY_LIMIT = 16L * 1024 * 1024;

    private final Path dir;
    /** Files this instance wrote or checked, so that a build checks each one once. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final AtomicLong filesWritten = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();

    public ContentStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** @return the sha256 of {@code content}, now stored */
    public String put(byte[] content) {
        String sha256 = Sha256.hex(content);
        if (known.contains(sha256)) {
            return sha256;
        }
        Path target = dir.resolve(sha256);
        try {
            if (!intact(target, sha256, content.length)) {
                Files.createDirectories(dir);
                Path temp = AtomicFiles.tempSibling(target);
                try {
                    Files.write(temp, content, StandardOpenOption.CREATE_NEW);
                    commit(temp, target, content.length);
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target, e);
        }
        known.add(sha256);
        return sha256;
    }

    /** Stores the next {@code size} bytes of {@code content}; @return their sha256 */
    public String put(InputStream content, long size) {
        try {
            if (size <= IN_MEMORY_LIMIT) {
                byte[] bytes = content.readNBytes((int) size);
                if (bytes.length != size) {
                    throw new IOException("expected " + size + " bytes, got " + bytes.length);
                }
                return put(bytes);
            }
            return putLarge(content, size);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store a file of " + size + " bytes in " + dir + ": " + e.getMessage(),
                    e);
        }
    }

    private String putLarge(InputStream content, long size) throws IOException {
        Files.createDirectories(dir);
        Path temp = AtomicFiles.tempSibling(dir.resolve("large"));
        try {
            MessageDigest digest = Sha256.newDigest();
            long copied = 0;
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; copied < size && (n = content.read(buffer, 0, (int) Math.min(buffer.length, size - copied)))
                        > 0; ) {
                    digest.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    copied += n;
                }
            }
            if (copied != size) {
                throw new IOException("expected " + size + " bytes, got " + copied);
            }
            String sha256 = Sha256.hex(digest);
            Path target = dir.resolve(sha256);
            if (!known.contains(sha256) && !intact(target, sha256, size)) {
                commit(temp, target, size);
            }
            known.add(sha256);
            return sha256;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void commit(Path temp, Path target, long size) throws IOException {
        AtomicFiles.fsync(temp);
        AtomicFiles.moveAtomically(temp, target);
        filesWritten.incrementAndGet();
        bytesWritten.addAndGet(size);
    }

    /** Re-hashes an existing file: a build may spend that, a cached {@code get} only checks sizes. */
    private static boolean intact(Path file, String sha256, long size) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        if (Files.size(file) == size && Sha256.hexOfFile(file).equals(sha256)) {
            return true;
        }
        LOG.warn("Store file {} is damaged; replacing it", file);
        return false;
    }

    /** @return the content stored under {@code sha256} */
    public byte[] read(String sha256) {
        Path file = dir.resolve(sha256);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** The cheap check of a cached image: the file is there and has {@code size} bytes; no hashing. */
    public String problemWith(String sha256, long size) {
        if (!NAME.matcher(sha256).matches()) {
            return "'" + sha256 + "' is not a sha256 file name";
        }
        Path file = dir.resolve(sha256);
        try {
            long actual = Files.size(file);
            return actual == size ? null : file + " has " + actual + " bytes, expected " + size;
        } catch (IOException e) {
            return file + " is missing or unreadable (" + e + ")";
        }
    }

    /** Files this instance added to the store (the rest were there already). */
    public long filesWritten() {
        return filesWritten.get();
    }

    public long bytesWritten() {
        return bytesWritten.get();
    }
}
