package dev.v86unit.images.internal.debian;

import dev.v86unit.images.internal.io.Parallel;
import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.internal.io.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Downloaded {@code .deb} files, kept by their pool file name, which the archive never reuses for other
 * content. A cached file is re-hashed before each use; a damaged one is deleted and downloaded again.
 */
public final class DebCache {

    private static final Logger LOG = LoggerFactory.getLogger(DebCache.class);

    private final Path dir;
    private final DebianArchive archive;
    private final VerifiedDownloader downloader;

    public DebCache(Path dir, DebianArchive archive, VerifiedDownloader downloader) {
        this.dir = dir;
        this.archive = archive;
        this.downloader = downloader;
    }

    /** @return the verified {@code .deb} of {@code entry}, downloaded if it is not cached intact */
    public Path get(PackageEntry entry) {
        Path file = dir.resolve(entry.basename());
        URI uri = archive.resolve(entry.filename());
        if (Files.exists(file)) {
            String problem = problemWith(file, entry);
            if (problem == null) {
                LOG.debug("Using cached {}", file);
                return file;
            }
            LOG.warn("Cached {} of {} is damaged ({}); downloading it again from {}", file, entry.label(), problem, uri);
            try {
                Files.delete(file);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete damaged " + file, e);
            }
        }
        downloader.download(uri, file, entry.sha256(), entry.size(), entry.label());
        return file;
    }

    /** A cheap guess for progress messages: a file of the right size is there (not yet verified). */
    public boolean probablyCached(PackageEntry entry) {
        try {
            return Files.size(dir.resolve(entry.basename())) == entry.size();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@link #get} for many packages, {@code parallelism} downloads at a time: a root filesystem has about
     * a hundred packages, mostly small, so the round trips dominate.
     *
     * @return the files in the order of {@code entries}
     */
    public List<Path> getAll(List<PackageEntry> entries, int parallelism) {
        return Parallel.map(entries, parallelism, "download", this::get);
    }

    /** @return null if {@code file} is intact, else what is wrong with it */
    static String problemWith(Path file, PackageEntry entry) {
        try {
            long size = Files.size(file);
            if (size != entry.size()) {
                return "size " + size + ", expected " + entry.size();
            }
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
        String actual = Sha256.hexOfFile(file);
        return actual.equals(entry.sha256()) ? null : "sha256 " + actual + ", expected " + entry.sha256();
    }
}
