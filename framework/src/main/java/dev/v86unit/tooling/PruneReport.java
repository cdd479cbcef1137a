package dev.v86unit.tooling;

import java.util.List;

/**
 * What {@link Cache#prune} removed (or, in a dry run, would remove).
 *
 * @param dryRun        true if nothing was deleted
 * @param removedImages the builds removed with their folders
 * @param keptInUse     builds that would have gone but a running machine uses
 * @param buildFiles    the files of the removed build folders (and their lock and use files)
 * @param snapshots     snapshot files of image ids no longer kept, and unfinished ones
 * @param layers        configured layers of image ids no longer kept, or of an older layer version
 * @param contentStore  content-store files that no kept image or layer names
 * @param debs          cached {@code .deb} files that no kept image's manifest lists
 */
public record PruneReport(boolean dryRun, List<CachedImage> removedImages, List<CachedImage> keptInUse, FileCount buildFiles,
                          FileCount snapshots, FileCount layers, FileCount contentStore, FileCount debs) {

    /** Copies the lists. */
    public PruneReport {
        removedImages = List.copyOf(removedImages);
        keptInUse = List.copyOf(keptInUse);
    }

    /** @return everything removed together */
    public FileCount total() {
        return buildFiles.plus(snapshots).plus(layers).plus(contentStore).plus(debs);
    }
}
