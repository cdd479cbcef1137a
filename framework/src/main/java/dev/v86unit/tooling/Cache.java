package dev.v86unit.tooling;

import dev.v86unit.V86Exception;
import dev.v86unit.images.Image;
import dev.v86unit.images.ImageBuildException;
import dev.v86unit.internal.cache.CacheInventory;
import dev.v86unit.internal.cache.CacheLock;
import dev.v86unit.internal.cache.CachePruner;
import dev.v86unit.internal.config.Settings;
import dev.v86unit.internal.machine.Machines;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The v86unit cache as the settings name it ({@code v86unit.cache.dir}, {@code v86unit.debian.mirror};
 * see the README): the built images, as machines would boot them.
 *
 * <pre>{@code
 * Cache cache = Cache.configured();
 * Image busybox = cache.image("busybox", List.of());   // built first if missing
 * for (CachedImage image : cache.images()) { ... }      // name, id, size, last use
 * PruneReport freed = cache.prune(PruneOptions.defaults());
 * }</pre>
 *
 * <p>Locks: machine starts, image builds and {@link #image} hold {@code <cache>/cache.lock} shared;
 * {@link #prune} holds it exclusively. A running machine holds its image's use file
 * ({@code images/<build>.use}) shared until it is closed; the file's modification time is the image's
 * last use.
 */
public final class Cache {

    private final Settings settings;

    private Cache(Settings settings) {
        this.settings = settings;
    }

    /** @return the cache the settings of this JVM name (system properties, environment, defaults) */
    public static Cache configured() {
        return new Cache(Settings.load());
    }

    /** @return the cache directory */
    public Path dir() {
        return settings.cacheDir();
    }

    /** @return the Debian archive images are built from */
    public URI debianMirror() {
        return settings.debianMirror();
    }

    /**
     * @return the built image, as a machine of that name and packages would boot it (built first if
     *         the cache lacks it)
     * @throws IllegalArgumentException if no image has that name
     * @throws V86Exception             if it cannot be built
     */
    public Image image(String name, List<String> packages) {
        Objects.requireNonNull(name, "name");
        try (CacheLock lock = CacheLock.shared(settings.cacheDir())) {
            return Machines.imageStore(settings).get(name, List.copyOf(packages));
        } catch (ImageBuildException e) {
            throw new V86Exception(e.getMessage(), e);
        }
    }

    /**
     * @return the cache's contents: each built image (name, packages, id, size, last use, whether this
     *         version builds it and whether a machine uses it now) and the totals of snapshots, layers, the
     *         content store and the {@code .deb} cache. Reads only; takes no lock.
     */
    public CacheUsage usage() {
        return CacheInventory.usage(dir());
    }

    /** @return the built images, as {@link #usage()} lists them */
    public List<CachedImage> images() {
        return usage().images();
    }

    /**
     * Removes what no kept image needs: the builds this version no longer makes for their name and packages
     * (every build with {@link PruneOptions#all()}), except those a running machine uses; then the
     * snapshots and configured layers of image ids no longer kept, the content-store files no kept image or
     * layer names, and the cached {@code .deb} files no kept image's manifest lists. Safe while other JVMs
     * use the cache: it holds the cache lock exclusively (machine starts and image builds hold it shared,
     * and wait), and each running machine's image is kept by its use lock.
     *
     * @throws CacheInUseException if the cache lock could not be taken within {@link PruneOptions#maxWait()}
     */
    public PruneReport prune(PruneOptions options) {
        Objects.requireNonNull(options, "options");
        return new CachePruner(dir(), Machines.layerVersion()).prune(options);
    }
}
