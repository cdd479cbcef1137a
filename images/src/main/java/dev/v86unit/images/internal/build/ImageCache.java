package dev.v86unit.images.internal.build;

import dev.v86unit.images.Image;
import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.internal.debian.DebCache;
import dev.v86unit.images.internal.debian.DebianArchive;
import dev.v86unit.images.internal.debian.DebianKeyring;
import dev.v86unit.images.internal.debian.HttpSource;
import dev.v86unit.images.internal.debian.InReleaseVerifier;
import dev.v86unit.images.internal.debian.VerifiedDownloader;
import dev.v86unit.images.internal.io.AtomicFiles;
import dev.v86unit.images.internal.io.Human;
import dev.v86unit.images.internal.rootfs.ContentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The built images under {@code <imagesDir>}: {@code <name>-<key16>/} per recipe, {@code debs/} for the
 * downloaded packages, {@code rootfs-store/} for the content of every root filesystem (shared: derived
 * images add only their new files). A build happens in a temporary sibling directory that is renamed into place when
 * complete, under a per-image lock, so readers only ever see complete builds and concurrent JVMs build
 * each image once. Finding a built image needs no network: its directory name comes from the recipe.
 */
public final class ImageCache {

    private static final Logger LOG = LoggerFactory.getLogger(ImageCache.class);
    static final String DEBS_DIR = "debs";

    private final Path imagesDir;
    private final URI mirror;
    private final HttpSource http;
    private final Supplier<DebianKeyring> keyring;

    /** @param keyring the keys that may sign the archive; asked for only when an image must be built */
    public ImageCache(Path imagesDir, URI mirror, HttpSource http, Supplier<DebianKeyring> keyring) {
        this.imagesDir = imagesDir.toAbsolutePath().normalize();
        this.mirror = mirror;
        this.http = http;
        this.keyring = keyring;
    }

    /** An image verified in this JVM, and the sizes and times of its files then. */
    private record Verified(Image image, List<String> fingerprint) {
    }

    /**
     * Images verified in this JVM: a later {@code get} compares the size and modification time of the
     * build's files instead of re-hashing them (~9 MB, tens of milliseconds); a file that changed in a
     * way that shows there is verified again. The root filesystem's files in the shared store are still
     * checked for presence and size every time (a few milliseconds for debian's 2,300 files), since
     * other builds write into the same store.
     */
    private final Map<Path, Verified> verified = new ConcurrentHashMap<>();

    /** @return the built, verified image of {@code recipe}; builds it first if it is missing or damaged */
    public Image get(Recipe recipe) {
        String dirName = recipe.directoryName();
        Path dir = imagesDir.resolve(dirName);
        Verified known = verified.get(dir);
        if (known != null && known.fingerprint().equals(fingerprint(dir)) && BuiltImage.storeIntact(known.image(), store())) {
            return known.image();
        }
        Image image = getLocked(recipe, dir);
        verified.put(dir, new Verified(image, fingerprint(dir)));
        return image;
    }

    /** @return size and modification time of every file of a build directory, sorted; empty if it cannot be read */
    private static List<String> fingerprint(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().map(file -> {
                try {
                    return file.getFileName() + ":" + Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis();
                } catch (IOException e) {
                    return file.getFileName() + ":?";
                }
            }).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private Image getLocked(Recipe recipe, Path dir) {
        String dirName = dir.getFileName().toString();
        ImageLock lock = ImageLock.acquire(imagesDir.resolve(dirName + ".lock"),
                "building image '" + recipe.name() + "'");
        try {
            if (Files.exists(dir)) {
                try {
                    return BuiltImage.load(dir, recipe, store());
                } catch (BuiltImage.DamagedException e) {
                    LOG.warn("Image '{}' in {} is damaged ({}); rebuilding it", recipe.name(), dir, e.getMessage());
                }
            }
            return build(recipe, dir);
        } finally {
            lock.close();
        }
    }

    /** The builder for {@code recipe}, downloading into this cache; also used by tests to rebuild offline. */
    public ImageBuilder builder(Recipe recipe) {
        VerifiedDownloader downloader = new VerifiedDownloader(http);
        DebianArchive archive = new DebianArchive(mirror, downloader, new InReleaseVerifier(keyring.get()));
        return new ImageBuilder(recipe, archive, new DebCache(imagesDir.resolve(DEBS_DIR), archive, downloader),
                store());
    }

    private ContentStore store() {
        return new ContentStore(imagesDir.resolve(ContentStore.DIR_NAME));
    }

    private Image build(Recipe recipe, Path dir) {
        long start = System.nanoTime();
        String dirName = dir.getFileName().toString();
        LOG.info("Building image '{}' ...", recipe.name());
        Path temp = imagesDir.resolve(dirName + ".tmp-" + UUID.randomUUID());
        try {
            // We hold the lock, so temporary directories of this image are leftovers of a crashed build.
            AtomicFiles.deleteMatching(imagesDir, dirName + ".tmp-");
            AtomicFiles.deleteMatching(imagesDir, dirName + ".old-");
            Files.createDirectories(temp);
            ImageBuilder builder = builder(recipe);
            builder.build(builder.resolve(), temp);
            replace(dir, temp);
        } catch (IOException e) {
            throw new ImageBuildException("Cannot build image '" + recipe.name() + "' in " + imagesDir + ": " + e, e);
        } catch (UncheckedIOException e) {
            throw new ImageBuildException("Cannot build image '" + recipe.name() + "' in " + imagesDir + ": "
                    + e.getMessage(), e);
        } finally {
            AtomicFiles.deleteQuietly(temp);
        }
        Image image;
        try {
            image = BuiltImage.load(dir, recipe, store());
        } catch (BuiltImage.DamagedException e) {
            throw new ImageBuildException("The image '" + recipe.name() + "' just built in " + dir
                    + " fails verification: " + e.getMessage(), e);
        }
        LOG.info("Built image '{}' ({}) in {}: {}", recipe.name(), image.id(),
                Human.duration(Duration.ofNanos(System.nanoTime() - start)), dir);
        return image;
    }

    /** Moves the complete build {@code temp} to {@code dir}, retiring a damaged {@code dir} first. */
    private void replace(Path dir, Path temp) throws IOException {
        Path old = null;
        if (Files.exists(dir)) {
            old = dir.resolveSibling(dir.getFileName() + ".old-" + UUID.randomUUID());
            Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.deleteQuietly(old);
    }
}
