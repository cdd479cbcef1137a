package dev.v86unit.images.internal.layout;

import dev.v86unit.images.internal.build.BuiltInRecipes;
import dev.v86unit.images.internal.build.Recipe;
import dev.v86unit.images.internal.rootfs.ContentStore;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names in an images directory that the framework's cache tools (listing, pruning) need to know:
 * build directories {@code <name>-<16 hex>}, the {@code .deb} cache, the content store, and which build
 * directory the current recipe of an image name and packages would use. Exported to the framework only.
 */
public final class CacheLayout {

    /** The downloaded packages, by pool file name. */
    public static final String DEBS_DIR = "debs";
    /** The content-addressed store of root filesystem files. */
    public static final String STORE_DIR = ContentStore.DIR_NAME;
    /** A build directory: a recipe name, a dash, the first 16 hex digits of the recipe key. */
    public static final Pattern BUILD_DIRECTORY = Pattern.compile("(.+)-[0-9a-f]{16}");
    /** The manifest in each build directory. */
    public static final String MANIFEST = "manifest.json";

    private CacheLayout() {
    }

    /**
     * @return the build directory name that this version's recipe of {@code name} with {@code packages} has;
     *         empty if there is no such built-in image, or it cannot have packages
     */
    public static Optional<String> currentDirectoryName(String name, List<String> packages) {
        Optional<Recipe> recipe = BuiltInRecipes.find(name);
        if (recipe.isEmpty()) {
            return Optional.empty();
        }
        try {
            Recipe wanted = packages.isEmpty() ? recipe.get() : recipe.get().withExtraPackages(packages);
            return Optional.of(wanted.directoryName());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
