package dev.v86unit.tooling;

import dev.v86unit.V86Exception;
import dev.v86unit.images.Image;
import dev.v86unit.images.ImageBuildException;
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
 * }</pre>
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
        try {
            return Machines.imageStore(settings).get(name, List.copyOf(packages));
        } catch (ImageBuildException e) {
            throw new V86Exception(e.getMessage(), e);
        }
    }
}
