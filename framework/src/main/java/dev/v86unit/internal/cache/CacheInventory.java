package dev.v86unit.internal.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.v86unit.images.internal.layout.CacheLayout;
import dev.v86unit.tooling.CacheUsage;
import dev.v86unit.tooling.CachedImage;
import dev.v86unit.tooling.FileCount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * Reads what a cache directory holds: the builds in {@code images/} (with their manifests and use files),
 * snapshots, layers, the content store, the {@code .deb} cache, the unpacked Node host. Reading needs no
 * lock: builds and snapshots appear by atomic renames.
 */
public final class CacheInventory {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String IMAGES = "images";
    static final String SNAPSHOTS = "snapshots";
    static final String LAYERS = "layers";
    static final String NODE_HOST = "node-host";

    /** A build folder and what its manifest references. */
    record Build(CachedImage image, Set<String> debs, Path rootfsJson) {
    }

    private CacheInventory() {
    }

    /** @return what the cache holds */
    public static CacheUsage usage(Path cacheDir) {
        List<Build> builds = builds(cacheDir);
        FileCount buildFiles = FileCount.NONE;
        for (Build build : builds) {
            buildFiles = buildFiles.plus(count(build.image().directory()));
        }
        Path images = cacheDir.resolve(IMAGES);
        return new CacheUsage(cacheDir, builds.stream().map(Build::image).toList(), buildFiles, count(cacheDir.resolve(SNAPSHOTS)),
                count(cacheDir.resolve(LAYERS)), count(images.resolve(CacheLayout.STORE_DIR)), count(images.resolve(CacheLayout.DEBS_DIR)),
                count(cacheDir.resolve(NODE_HOST)));
    }

    /** @return the build folders of {@code <cache>/images}, sorted by name and id */
    static List<Build> builds(Path cacheDir) {
        Path images = cacheDir.resolve(IMAGES);
        if (!Files.isDirectory(images)) {
            return List.of();
        }
        List<Build> builds = new ArrayList<>();
        try (Stream<Path> entries = Files.list(images)) {
            for (Path dir : entries.sorted().toList()) {
                Matcher name = CacheLayout.BUILD_DIRECTORY.matcher(dir.getFileName().toString());
                if (Files.isDirectory(dir) && name.matches()) {
                    builds.add(build(dir, name.group(1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + images, e);
        }
        builds.sort(Comparator.comparing((Build b) -> b.image().label()).thenComparing(b -> String.valueOf(b.image().id())));
        return builds;
    }

    private static Build build(Path dir, String dirName) {
        Optional<ImageUse.Record> use = ImageUse.read(dir).filter(r -> !r.image().isEmpty());
        String name = use.map(ImageUse.Record::image).orElse(dirName);
        List<String> packages = use.map(ImageUse.Record::packages).orElse(List.of());
        String id = null;
        Set<String> debs = new HashSet<>();
        Path rootfs = null;
        try {
            JsonNode manifest = JSON.readTree(dir.resolve(CacheLayout.MANIFEST).toFile());
            id = manifest.path("id").isTextual() ? manifest.path("id").asText() : null;
            manifest.path("inputs").forEach(input -> debs.add(basename(input.path("filename").asText())));
            manifest.path("rootfs").path("packages").forEach(input -> debs.add(basename(input.path("filename").asText())));
            if (!manifest.path("rootfs").isMissingNode()) {
                rootfs = dir.resolve("rootfs.json");
            }
        } catch (IOException | RuntimeException e) {
            // a damaged or unfinished build: listed without an id, referencing nothing
        }
        boolean current = CacheLayout.currentDirectoryName(name, packages).map(dir.getFileName().toString()::equals).orElse(false);
        CachedImage image = new CachedImage(name, packages, id, dir, count(dir).bytes(), use.map(ImageUse.Record::lastUse),
                current, ImageUse.inUse(dir));
        debs.remove("");
        return new Build(image, Set.copyOf(debs), rootfs);
    }

    private static String basename(String poolPath) {
        return poolPath.substring(poolPath.lastIndexOf('/') + 1);
    }

    /** @return the regular files below {@code dir} and their size; none if it does not exist */
    static FileCount count(Path dir) {
        if (!Files.exists(dir)) {
            return FileCount.NONE;
        }
        FileCount total = FileCount.NONE;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    total = total.plusFile(size(file));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // a file vanished meanwhile (a build being renamed): the figure is an estimate anyway
        }
        return total;
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Adds the content-store names a v86 fs.json tree (an image's rootfs.json, a layer) gives its files. */
    static void storeFiles(Path fsJson, Set<String> into) throws IOException {
        JsonNode tree = JSON.readTree(fsJson.toFile());
        storeFiles(tree.path("fsroot"), into);
    }

    private static void storeFiles(JsonNode entries, Set<String> into) {
        for (JsonNode entry : entries) {
            if (!entry.isArray() || entry.size() < 7) {
                continue;
            }
            int type = entry.get(3).asInt() & 0170000;
            if (type == 0040000) {
                storeFiles(entry.get(6), into);
            } else if (type == 0100000 && entry.get(6).isTextual()) {
                into.add(entry.get(6).asText());
            }
        }
    }
}
