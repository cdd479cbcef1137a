package dev.v86unit.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v86unit.images.internal.layout.CacheLayout;
import dev.v86unit.tooling.CacheInUseException;
import dev.v86unit.tooling.CacheUsage;
import dev.v86unit.tooling.CachedImage;
import dev.v86unit.tooling.FileCount;
import dev.v86unit.tooling.PruneOptions;
import dev.v86unit.tooling.PruneReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prune's choices on a cache of fake files laid out as the framework and the image builder lay it out. */
class CachePrunerTest {

    private static final String ID_BUSYBOX = "a".repeat(64);
    private static final String ID_OLD = "b".repeat(64);
    private static final String ID_DEBIAN = "c".repeat(64);
    private static final String ID_OLD_IN_USE = "d".repeat(64);
    private static final String STORE_DEBIAN = "1".repeat(64);
    private static final String STORE_LAYER = "2".repeat(64);
    private static final String STORE_LOOSE = "3".repeat(64);
    private static final String STORE_OLD = "4".repeat(64);
    private static final String STORE_OLD_IN_USE = "5".repeat(64);

    @TempDir
    Path cache;

    private Path images;
    private Path busybox;
    private Path old;
    private Path debian;
    private Path oldInUse;

    @BeforeEach
    void fakeCache() throws IOException {
        images = Files.createDirectories(cache.resolve("images"));
        busybox = build(CacheLayout.currentDirectoryName("busybox", List.of()).orElseThrow(), ID_BUSYBOX, List.of("busybox_2.deb"), null);
        old = build("busybox-0000000000000000", ID_OLD, List.of("busybox_1.deb", "kernel_1.deb"), STORE_OLD);
        debian = build(CacheLayout.currentDirectoryName("debian", List.of()).orElseThrow(), ID_DEBIAN,
                List.of("busybox_2.deb", "python3_1.deb"), STORE_DEBIAN);
        oldInUse = build("debian-1111111111111111", ID_OLD_IN_USE, List.of("python3_0.deb"), STORE_OLD_IN_USE);
        for (String name : List.of("busybox_2.deb", "busybox_1.deb", "kernel_1.deb", "python3_1.deb", "python3_0.deb", "python3_00.deb")) {
            write(images.resolve("debs").resolve(name), 1000);
        }
        write(images.resolve("debs").resolve("README"), 10);
        for (String file : List.of(STORE_DEBIAN, STORE_LAYER, STORE_LOOSE, STORE_OLD, STORE_OLD_IN_USE)) {
            write(images.resolve("rootfs-store").resolve(file), 100);
        }
        Path snapshots = Files.createDirectories(cache.resolve("snapshots"));
        snapshot(snapshots, "e".repeat(64), ID_BUSYBOX);
        snapshot(snapshots, "f".repeat(64), ID_OLD);
        snapshot(snapshots, "0".repeat(64), ID_OLD_IN_USE);
        write(snapshots.resolve("9".repeat(64) + ".state"), 500); // unfinished: no metadata
        Path layers = Files.createDirectories(cache.resolve("layers"));
        Files.writeString(layers.resolve(ID_DEBIAN + "-configured-v1.json"), tree(STORE_LAYER));
        Files.writeString(layers.resolve(ID_DEBIAN + "-configured-v0.json"), tree(STORE_LOOSE));
        Files.writeString(layers.resolve(ID_OLD + "-configured-v1.json"), tree(STORE_OLD));
        write(cache.resolve("node-host").resolve("x").resolve("host.mjs"), 50);
    }

    private Path build(String dirName, String id, List<String> debs, String storeFile) throws IOException {
        Path dir = Files.createDirectories(images.resolve(dirName));
        StringBuilder inputs = new StringBuilder();
        for (String deb : debs) {
            inputs.append(inputs.isEmpty() ? "" : ",").append("{\"filename\":\"pool/main/x/").append(deb).append("\"}");
        }
        String rootfs = storeFile == null ? "" : ",\"rootfs\":{\"packages\":[]}";
        Files.writeString(dir.resolve("manifest.json"), "{\"id\":\"sha256:" + id + "\",\"inputs\":[" + inputs + "]" + rootfs + "}");
        write(dir.resolve("vmlinuz"), 4000);
        if (storeFile != null) {
            Files.writeString(dir.resolve("rootfs.json"), tree(storeFile));
        }
        Files.writeString(images.resolve(dirName + ".lock"), "");
        return dir;
    }

    /** A v86 fs.json (version 3) with one folder holding one regular file stored as {@code sha256}. */
    private static String tree(String sha256) {
        return "{\"version\":3,\"size\":100,\"fsroot\":[[\"etc\",0,0,16877,0,0,[[\"file\",100,0,33188,0,0,\"" + sha256
                + "\"]]],[\"bin\",7,0,41471,0,0,\"usr/bin\"]]}";
    }

    private static void snapshot(Path dir, String key, String imageId) throws IOException {
        Files.writeString(dir.resolve(key + ".json"), "{\"key\":\"" + key + "\",\"imageId\":\"sha256:" + imageId + "\"}");
        write(dir.resolve(key + ".state"), 500);
        Files.writeString(dir.resolve(key + ".lock"), "");
    }

    private static void write(Path file, int size) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[size]);
    }

    private static void use(Path buildDir, String image) throws IOException {
        Files.writeString(ImageUse.file(buildDir), "{\"image\":\"" + image + "\",\"packages\":[]}", StandardCharsets.UTF_8);
    }

    private PruneReport prune(PruneOptions options) {
        return new CachePruner(cache, 1).prune(options.withMaxWait(Duration.ZERO));
    }

    @Test
    void keeps_what_current_images_need_and_removes_the_rest() throws IOException {
        use(oldInUse, "debian");
        try (SharedFileLock.Held running = SharedFileLock.acquire(ImageUse.file(oldInUse), "a running machine")) {
            PruneReport report = prune(PruneOptions.defaults());

            assertThat(report.removedImages()).extracting(CachedImage::directory).containsExactly(old);
            assertThat(report.keptInUse()).extracting(CachedImage::directory).containsExactly(oldInUse);
            assertThat(old).doesNotExist();
            assertThat(images.resolve("busybox-0000000000000000.lock")).doesNotExist();
            assertThat(busybox).isDirectory();
            assertThat(debian).isDirectory();
            assertThat(oldInUse.resolve("vmlinuz")).exists();
            assertThat(ImageUse.file(oldInUse)).exists();

            assertThat(images.resolve("debs")).isDirectoryContaining("glob:**/busybox_2.deb")
                    .isDirectoryContaining("glob:**/python3_1.deb").isDirectoryContaining("glob:**/python3_0.deb")
                    .isDirectoryContaining("glob:**/README").isDirectoryNotContaining("glob:**/busybox_1.deb")
                    .isDirectoryNotContaining("glob:**/kernel_1.deb").isDirectoryNotContaining("glob:**/python3_00.deb");
            assertThat(report.debs()).isEqualTo(new FileCount(3, 3000));

            Path store = images.resolve("rootfs-store");
            assertThat(store.resolve(STORE_DEBIAN)).exists();
            assertThat(store.resolve(STORE_LAYER)).exists();
            assertThat(store.resolve(STORE_OLD_IN_USE)).exists();
            assertThat(store.resolve(STORE_LOOSE)).doesNotExist();
            assertThat(store.resolve(STORE_OLD)).doesNotExist();
            assertThat(report.contentStore()).isEqualTo(new FileCount(2, 200));

            Path snapshots = cache.resolve("snapshots");
            assertThat(snapshots.resolve("e".repeat(64) + ".state")).exists();
            assertThat(snapshots.resolve("0".repeat(64) + ".state")).exists();
            assertThat(snapshots.resolve("f".repeat(64) + ".state")).doesNotExist();
            assertThat(snapshots.resolve("f".repeat(64) + ".json")).doesNotExist();
            assertThat(snapshots.resolve("f".repeat(64) + ".lock")).doesNotExist();
            assertThat(snapshots.resolve("9".repeat(64) + ".state")).doesNotExist();
            assertThat(report.snapshots().files()).isEqualTo(4);

            Path layers = cache.resolve("layers");
            assertThat(layers.resolve(ID_DEBIAN + "-configured-v1.json")).exists();
            assertThat(layers.resolve(ID_DEBIAN + "-configured-v0.json")).doesNotExist();
            assertThat(layers.resolve(ID_OLD + "-configured-v1.json")).doesNotExist();
            assertThat(report.layers().files()).isEqualTo(2);
            assertThat(cache.resolve("node-host").resolve("x").resolve("host.mjs")).exists();
        }
        // the machine is gone: its stale image goes, and with it what only it needed
        PruneReport after = prune(PruneOptions.defaults());
        assertThat(after.removedImages()).extracting(CachedImage::directory).containsExactly(oldInUse);
        assertThat(oldInUse).doesNotExist();
        assertThat(ImageUse.file(oldInUse)).doesNotExist();
        assertThat(images.resolve("rootfs-store").resolve(STORE_OLD_IN_USE)).doesNotExist();
        assertThat(images.resolve("debs").resolve("python3_0.deb")).doesNotExist();
        assertThat(cache.resolve("snapshots").resolve("0".repeat(64) + ".state")).doesNotExist();
        assertThat(prune(PruneOptions.defaults()).total()).isEqualTo(FileCount.NONE);
    }

    @Test
    void a_dry_run_reports_the_same_and_deletes_nothing() {
        PruneReport dry = prune(PruneOptions.defaults().withDryRun(true));
        assertThat(dry.dryRun()).isTrue();
        assertThat(old).isDirectory();
        assertThat(images.resolve("debs").resolve("kernel_1.deb")).exists();
        assertThat(cache.resolve("snapshots").resolve("9".repeat(64) + ".state")).exists();

        PruneReport real = prune(PruneOptions.defaults());
        assertThat(real.total()).isEqualTo(dry.total());
        assertThat(real.removedImages()).extracting(CachedImage::directory).isEqualTo(dry.removedImages().stream().map(CachedImage::directory).toList());
    }

    @Test
    void all_removes_every_image_not_in_use() {
        PruneReport report = prune(PruneOptions.defaults().withAll(true));
        assertThat(report.removedImages()).extracting(CachedImage::directory).containsExactlyInAnyOrder(busybox, old, debian, oldInUse);
        assertThat(images.resolve("rootfs-store")).isEmptyDirectory();
        assertThat(images.resolve("debs")).isDirectoryContaining("glob:**/README").isDirectoryNotContaining("glob:**/*.deb");
        assertThat(cache.resolve("snapshots")).isEmptyDirectory();
        assertThat(cache.resolve("layers")).isEmptyDirectory();
    }

    @Test
    void a_derived_image_is_current_by_the_packages_its_use_recorded() throws IOException {
        Path withBc = build(CacheLayout.currentDirectoryName("debian", List.of("bc")).orElseThrow(), "7".repeat(64), List.of(), null);
        assertThat(image(withBc).current()).as("no use recorded: judged as plain debian").isFalse();
        Files.writeString(ImageUse.file(withBc), "{\"image\":\"debian\",\"packages\":[\"bc\"]}");
        CachedImage recorded = image(withBc);
        assertThat(recorded.current()).isTrue();
        assertThat(recorded.label()).isEqualTo("debian+bc");
        assertThat(recorded.lastUse()).isPresent();
        assertThat(image(old).lastUse()).isEmpty();
    }

    @Test
    void usage_counts_every_part_of_the_cache() {
        CacheUsage usage = CacheInventory.usage(cache);
        assertThat(usage.images()).hasSize(4);
        assertThat(usage.debs()).isEqualTo(new FileCount(7, 6010));
        assertThat(usage.contentStore()).isEqualTo(new FileCount(5, 500));
        assertThat(usage.snapshots().files()).isEqualTo(10);
        assertThat(usage.layers().files()).isEqualTo(3);
        assertThat(usage.nodeHost()).isEqualTo(new FileCount(1, 50));
        assertThat(image(busybox).sizeBytes()).isEqualTo(4000 + size(busybox.resolve("manifest.json")));
        assertThat(image(busybox).id()).isEqualTo("sha256:" + ID_BUSYBOX);
        assertThat(image(busybox).current()).isTrue();
        assertThat(image(old).current()).isFalse();
    }

    @Test
    void prune_does_not_run_while_a_machine_starts() {
        try (CacheLock starting = CacheLock.shared(cache)) {
            assertThatThrownBy(() -> prune(PruneOptions.defaults())).isInstanceOf(CacheInUseException.class)
                    .hasMessageContaining("in use");
            assertThat(old).isDirectory();
        }
        assertThat(prune(PruneOptions.defaults()).removedImages()).isNotEmpty();
    }

    private CachedImage image(Path dir) {
        Optional<CachedImage> found = CacheInventory.usage(cache).images().stream().filter(i -> i.directory().equals(dir)).findFirst();
        return found.orElseThrow();
    }

    private static long size(Path file) {
        return CacheInventory.size(file);
    }
}
