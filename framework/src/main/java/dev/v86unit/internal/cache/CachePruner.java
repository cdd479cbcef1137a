package dev.v86unit.internal.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.v86unit.images.internal.layout.CacheLayout;
import dev.v86unit.tooling.CacheInUseException;
import dev.v86unit.tooling.CachedImage;
import dev.v86unit.tooling.FileCount;
import dev.v86unit.tooling.PruneOptions;
import dev.v86unit.tooling.PruneReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes from a cache what nothing kept needs, holding the {@link CacheLock} exclusively:
 * <ol>
 * <li>build folders this version does not build for their name and packages (all of them with
 * {@code all}), unless a running machine uses them ({@link ImageUse}); the images left are <em>kept</em>;
 * <li>snapshots whose image id is not a kept image's, and unfinished ones (a state without metadata);
 * <li>configured layers (and seeds) of ids not kept, or of another layer version;
 * <li>content-store files that no kept image's {@code rootfs.json} and no kept layer names;
 * <li>{@code .deb} files that no kept image's manifest lists (so older versions of a package go once no
 * image built from them is left).
 * </ol>
 * Files it does not recognise are left alone; the unpacked Node host too.
 */
public final class CachePruner {

    private static final Logger LOG = LoggerFactory.getLogger(CachePruner.class);
    private static final Pattern LAYER = Pattern.compile("([0-9a-f]{64})-(configured|seed)-v(\\d+)\\.json");
    private static final Pattern SNAPSHOT = Pattern.compile("([0-9a-f]{64})\\.(json|state|lock)");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path cacheDir;
    private final int layerVersion;

    /** @param layerVersion the configured layers' current version (older ones are removed) */
    public CachePruner(Path cacheDir, int layerVersion) {
        this.cacheDir = cacheDir;
        this.layerVersion = layerVersion;
    }

    /** What a prune removes: decided first, then deleted (or only reported). */
    record Plan(List<CachedImage> removedImages, List<CachedImage> keptInUse, List<Path> buildFiles, List<Path> snapshots,
                List<Path> layers, List<Path> contentStore, List<Path> debs) {
    }

    /** Takes the cache lock exclusively, plans, deletes unless it is a dry run, and reports. */
    public PruneReport prune(PruneOptions options) {
        Optional<CacheLock> lock = CacheLock.exclusive(cacheDir, options.maxWait());
        if (lock.isEmpty()) {
            throw new CacheInUseException("The cache " + cacheDir + " is in use (a machine is starting or an image is being built)"
                    + (options.maxWait().isZero() ? "" : "; waited " + options.maxWait().toSeconds() + " s") + ". Try again later.");
        }
        try (CacheLock held = lock.get()) {
            Plan plan = plan(options.all());
            return new PruneReport(options.dryRun(), plan.removedImages(), plan.keptInUse(), apply(plan.buildFiles(), options.dryRun()),
                    apply(plan.snapshots(), options.dryRun()), apply(plan.layers(), options.dryRun()),
                    apply(plan.contentStore(), options.dryRun()), apply(plan.debs(), options.dryRun()));
        }
    }

    /** Decides what goes; call it holding the cache lock exclusively. */
    Plan plan(boolean all) {
        List<CachedImage> removed = new ArrayList<>();
        List<CachedImage> keptInUse = new ArrayList<>();
        List<Path> buildFiles = new ArrayList<>();
        Set<String> keptIds = new HashSet<>();
        Set<String> keptDebs = new HashSet<>();
        Set<String> keptStore = new HashSet<>();
        List<Path> keptTrees = new ArrayList<>();
        for (CacheInventory.Build build : CacheInventory.builds(cacheDir)) {
            CachedImage image = build.image();
            boolean wanted = image.current() && !all;
            if (!wanted && !image.inUse()) {
                removed.add(image);
                buildFiles.addAll(files(image.directory()));
                Path dir = image.directory();
                for (String sibling : List.of(".lock", ImageUse.SUFFIX)) {
                    Path file = dir.resolveSibling(dir.getFileName() + sibling);
                    if (Files.isRegularFile(file)) {
                        buildFiles.add(file);
                    }
                }
                continue;
            }
            if (!wanted) {
                keptInUse.add(image);
            }
            if (image.id() != null) {
                keptIds.add(hex(image.id()));
            }
            keptDebs.addAll(build.debs());
            if (build.rootfsJson() != null) {
                keptTrees.add(build.rootfsJson());
            }
        }

        List<Path> layers = new ArrayList<>();
        for (Path file : list(cacheDir.resolve(CacheInventory.LAYERS))) {
            Matcher layer = LAYER.matcher(file.getFileName().toString());
            if (!layer.matches()) {
                continue;
            }
            if (keptIds.contains(layer.group(1)) && Integer.parseInt(layer.group(3)) == layerVersion) {
                keptTrees.add(file);
            } else {
                layers.add(file);
            }
        }

        List<Path> snapshots = new ArrayList<>();
        Path snapshotDir = cacheDir.resolve(CacheInventory.SNAPSHOTS);
        for (Path file : list(snapshotDir)) {
            Matcher snapshot = SNAPSHOT.matcher(file.getFileName().toString());
            if (!snapshot.matches()) {
                continue;
            }
            Optional<String> imageId = snapshotImage(snapshotDir.resolve(snapshot.group(1) + ".json"));
            if (imageId.isEmpty() || !keptIds.contains(hex(imageId.get()))) {
                snapshots.add(file);
            }
        }

        for (Path tree : keptTrees) {
            try {
                CacheInventory.storeFiles(tree, keptStore);
            } catch (IOException e) {
                // A kept tree that cannot be read protects nothing we can name: keep the whole store.
                LOG.warn("Cannot read {} ({}); the content store is left as it is", tree, e.toString());
                keptStore = null;
                break;
            }
        }
        Path images = cacheDir.resolve(CacheInventory.IMAGES);
        List<Path> store = new ArrayList<>();
        if (keptStore != null) {
            for (Path file : list(images.resolve(CacheLayout.STORE_DIR))) {
                String name = file.getFileName().toString();
                if (SHA256.matcher(name).matches() && !keptStore.contains(name)) {
                    store.add(file);
                }
            }
        }
        List<Path> debs = new ArrayList<>();
        for (Path file : list(images.resolve(CacheLayout.DEBS_DIR))) {
            String name = file.getFileName().toString();
            if (name.endsWith(".deb") && !keptDebs.contains(name)) {
                debs.add(file);
            }
        }
        return new Plan(removed, keptInUse, buildFiles, snapshots, layers, store, debs);
    }

    private static Optional<String> snapshotImage(Path metadata) {
        try {
            JsonNode node = CacheInventory.JSON.readTree(metadata.toFile());
            return node.path("imageId").isTextual() ? Optional.of(node.path("imageId").asText()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String hex(String id) {
        return id.startsWith("sha256:") ? id.substring(7) : id;
    }

    /** @return the regular files directly in {@code dir}, sorted; none if it does not exist */
    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }

    /** @return every regular file below {@code dir}, the folder itself last (so that it goes too) */
    private static List<Path> files(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.filter(Files::isRegularFile).toList());
            all.add(dir);
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }

    /** Deletes (unless a dry run) and counts the regular files; folders in the list are deleted, not counted. */
    private static FileCount apply(List<Path> paths, boolean dryRun) {
        FileCount count = FileCount.NONE;
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                if (!dryRun) {
                    try {
                        FileUtils.deleteDirectory(path.toFile());
                    } catch (IOException e) {
                        LOG.warn("Cannot delete {}: {}", path, e.toString());
                    }
                }
                continue;
            }
            long size = CacheInventory.size(path);
            if (!dryRun) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.warn("Cannot delete {}: {}", path, e.toString());
                    continue;
                }
            }
            count = count.plusFile(size);
        }
        return count;
    }
}
