package dev.v86unit.images.internal.io;

import org.apache.commons.io.file.PathUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes that a crash or a concurrent reader never sees half-done: write a temporary file next to the
 * target, fsync it, then rename it into place.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * A fresh name next to {@code target} for writing it. Unlike {@link Files#createTempFile} it leaves the
     * permissions to the umask, so that a cache shared by a CI job stays readable.
     */
    public static Path tempSibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
    }

    public static void fsync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Renames {@code source} to {@code target}, replacing a file but never a non-empty directory. */
    public static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("The file system does not support atomic renames: " + source + " -> " + target, e);
        }
    }

    public static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            deleteRecursively(path);
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: a leftover temporary file is harmless and removed by the next build
        }
    }

    public static void deleteRecursively(Path path) throws IOException {
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            PathUtils.delete(path);   // Commons IO; does not follow symlinks
        }
    }

    /** Deletes the entries of {@code dir} whose name starts with {@code prefix}. */
    public static void deleteMatching(Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path entry : entries) {
                deleteRecursively(entry);
            }
        }
    }
}
