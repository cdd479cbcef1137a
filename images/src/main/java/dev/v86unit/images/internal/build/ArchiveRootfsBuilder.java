package dev.v86unit.images.internal.build;

import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.internal.io.Human;
import dev.v86unit.images.internal.oci.Compression;
import dev.v86unit.images.internal.oci.ContainerArchive;
import dev.v86unit.images.internal.rootfs.ContentStore;
import dev.v86unit.images.internal.rootfs.FsJson;
import dev.v86unit.images.internal.rootfs.ImportedRootfs;
import dev.v86unit.images.internal.rootfs.LayerEntry;
import dev.v86unit.images.internal.rootfs.RootfsBuilder;
import dev.v86unit.images.internal.rootfs.TarLayer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The root filesystem of a {@code rootfs:} or {@code oci:} image: the user's archive read into the
 * content store, layer by layer, checked and completed by {@link ImportedRootfs}, written as v86's
 * {@code fs.json}.
 */
final class ArchiveRootfsBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveRootfsBuilder.class);

    private ArchiveRootfsBuilder() {
    }

    /** @param busybox the static i386 busybox of the initramfs, installed as the userland's fallback */
    static RootfsBuilder.Result build(RootfsArchive archive, byte[] busybox, ContentStore store) {
        long start = System.nanoTime();
        String what = archive.imageName();
        ImportedRootfs rootfs = new ImportedRootfs(store, what);
        if (archive.kind() == RootfsArchive.Kind.OCI) {
            for (List<LayerEntry> layer : new ContainerArchive(archive.source(), what).layers(store)) {
                rootfs.apply(layer, true);
            }
        } else {
            try (InputStream in = Compression.open(archive.source().open())) {
                rootfs.apply(TarLayer.read(in, what, store), false);
            } catch (IOException e) {
                throw new ImageBuildException(what + ": cannot read the archive: " + e.getMessage(), e);
            }
        }
        rootfs.prepare(archive.guestInit(), busybox);
        FsJson.Result json = FsJson.write(rootfs.tree());
        LOG.info("Root filesystem of '{}': {} files, {}, read in {}", what, json.files(), Human.size(json.bytes()),
                Human.duration(Duration.ofNanos(System.nanoTime() - start)));
        return new RootfsBuilder.Result(json.json(), json.files(), json.bytes(), Map.of(), List.of());
    }
}
