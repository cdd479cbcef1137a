package dev.v86unit.tooling;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the cache holds ({@link Cache#usage()}).
 *
 * @param dir          the cache directory
 * @param images       the built images, sorted by name and id
 * @param buildFiles   the files of all build folders
 * @param snapshots    saved machine states ({@code snapshots/}: the states and their metadata)
 * @param layers       configured layers ({@code layers/})
 * @param contentStore the root filesystems' files ({@code images/rootfs-store/}), shared by images and layers
 * @param debs         downloaded Debian packages ({@code images/debs/})
 * @param nodeHost     the unpacked Node host and v86 ({@code node-host/})
 */
public record CacheUsage(Path dir, List<CachedImage> images, FileCount buildFiles, FileCount snapshots, FileCount layers,
                         FileCount contentStore, FileCount debs, FileCount nodeHost) {

    /** Checks and copies the components. */
    public CacheUsage {
        Objects.requireNonNull(dir, "dir");
        images = List.copyOf(images);
    }

    /** @return everything together */
    public FileCount total() {
        return buildFiles.plus(snapshots).plus(layers).plus(contentStore).plus(debs).plus(nodeHost);
    }
}
