package dev.v86unit.images.internal.build;

import dev.v86unit.images.Image;
import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.internal.debian.HttpSource;
import dev.v86unit.images.internal.debian.PackageEntry;
import dev.v86unit.images.testing.FakeArchive;
import dev.v86unit.images.testing.NewcReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The whole build against an offline, test-signed archive (see {@link FakeArchive}). */
@DisplayName("ImageCache builds, verifies and reuses the busybox image")
class ImageCacheTest {

    private static final Recipe RECIPE = BuiltInRecipes.find("busybox").orElseThrow();
    private static final List<String> LOAD_ORDER = List.of("9pnet.ko", "failover.ko", "net_failover.ko", "netfs.ko", "fscache.ko",
            "9p.ko", "virtio.ko", "virtio_pci_legacy_dev.ko", "virtio_pci_modern_dev.ko", "virtio_ring.ko", "9pnet_virtio.ko",
            "virtio_net.ko", "virtio_pci.ko");

    @TempDir
    Path imagesDir;

    private FakeArchive archive;
    private ImageCache cache;

    @BeforeEach
    void setUp() {
        archive = new FakeArchive();
        cache = cacheUsing(archive);
    }

    private ImageCache cacheUsing(HttpSource http) {
        return new ImageCache(imagesDir, FakeArchive.MIRROR, http, archive::keyring);
    }

    private static HttpSource noNetwork() {
        return uri -> {
            throw new AssertionError("Unexpected network access: " + uri);
        };
    }

    @Nested
    class FirstBuild {

        @Test
        void should_put_kernel_initrd_and_bios_with_a_manifest_into_a_directory_named_by_the_recipe_key()
                throws IOException {
            Image image = cache.get(RECIPE);

            Path dir = imagesDir.resolve("busybox-" + RECIPE.key().substring(0, 16));
            assertThat(image.kernel()).isEqualTo(dir.resolve("vmlinuz"));
            assertThat(image.initrd()).isEqualTo(dir.resolve("initrd.cpio"));
            assertThat(image.bios()).isEqualTo(dir.resolve("bios.bin"));
            assertThat(image.manifest()).isEqualTo(dir.resolve("manifest.json"));
            assertThat(Files.readAllBytes(image.kernel())).isEqualTo(archive.vmlinuz);
            assertThat(Files.readAllBytes(image.bios())).isEqualTo(archive.bios);
            assertThat(image.cmdline()).isEqualTo(BuiltInRecipes.FAST_CMDLINE);
            assertThat(image.memoryMb()).isEqualTo(128);
            assertThat(image.id()).matches("sha256:[0-9a-f]{64}");
            try (Stream<Path> files = Files.list(imagesDir)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .as("no temporary directories left")
                        .containsExactlyInAnyOrder(dir.getFileName().toString(), dir.getFileName() + ".lock", "debs");
            }
        }

        @Test
        void should_record_inputs_outputs_and_id_in_the_manifest() throws IOException {
            Image image = cache.get(RECIPE);

            Manifest manifest = Manifest.fromJson(Files.readAllBytes(image.manifest()));
            assertThat(manifest.recipe()).isEqualTo("busybox");
            assertThat(manifest.suite()).isEqualTo("bookworm");
            assertThat(manifest.releaseDate()).isEqualTo("Sat, 11 Jul 2026 10:16:37 UTC");
            assertThat(manifest.kernelVersion()).isEqualTo(FakeArchive.KERNEL_VERSION);
            assertThat(manifest.inputs()).extracting(Manifest.Input::packageName, Manifest.Input::version)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("busybox-static", "1:1.35.0-4+deb12u1+b1"),
                            org.assertj.core.groups.Tuple.tuple(FakeArchive.KERNEL_PACKAGE, "6.1.999-1"),
                            org.assertj.core.groups.Tuple.tuple("seabios", "1.16.2-1"));
            assertThat(manifest.inputs().get(1).sha256()).isEqualTo(FakeArchive.sha256(archive.kernelDeb));
            assertThat(manifest.outputs()).extracting(Manifest.Output::name)
                    .containsExactly("bios.bin", "initrd.cpio", "vmlinuz");
            assertThat(manifest.outputs().get(2).sha256()).isEqualTo(FakeArchive.sha256(archive.vmlinuz));
            assertThat(manifest.id()).isEqualTo(image.id())
                    .isEqualTo(Manifest.computeId(manifest.outputs(), image.cmdline(), image.memoryMb()));
            assertThat(manifest.modules()).isEqualTo(LOAD_ORDER);
            String json = Files.readString(image.manifest());
            assertThat(json.indexOf("\"cmdline\"")).isLessThan(json.indexOf("\"id\"")).as("sorted keys");
        }

        @Test
        void should_lay_out_the_initramfs_for_the_guest_init() throws IOException {
            Image image = cache.get(RECIPE);

            Map<String, NewcReader.Entry> initrd = NewcReader.byName(Files.readAllBytes(image.initrd()));
            assertThat(initrd.keySet()).containsAll(List.of("bin", "sbin", "usr", "usr/bin", "usr/sbin", "proc", "sys",
                    "dev", "tmp", "run", "root", "etc", "etc/v86unit", "lib", "lib/modules", "mnt", "init",
                    "bin/busybox", "bin/sh", "dev/console", "dev/null", "etc/passwd", "etc/group", "etc/hostname",
                    "etc/v86unit/modules"));
            assertThat(initrd.get("tmp").permissions()).isEqualTo(01777);
            assertThat(initrd.get("bin/busybox").data()).isEqualTo(archive.busybox);
            assertThat(initrd.get("bin/busybox").permissions()).isEqualTo(0755);
            assertThat(initrd.get("bin/sh").text()).isEqualTo("busybox");
            assertThat(initrd.get("init").data()).isEqualTo(RECIPE.init());
            assertThat(initrd.get("init").permissions()).isEqualTo(0755);
            assertThat(initrd.get("dev/null").rdevMajor()).isEqualTo(1);
            assertThat(initrd.get("dev/null").rdevMinor()).isEqualTo(3);
            assertThat(initrd.get("etc/passwd").text()).isEqualTo("root:x:0:0:root:/root:/bin/sh\n");
            assertThat(initrd.get("etc/group").text()).isEqualTo("root:x:0:\n");
            assertThat(initrd.get("etc/v86unit/modules").text().lines()).isEqualTo(LOAD_ORDER);
            String moduleDir = "lib/modules/" + FakeArchive.KERNEL_VERSION + "/";
            assertThat(initrd.keySet()).doesNotContain(moduleDir + "dummy.ko");
            // one modprobe -a finds them through modules.dep, in the folder of the kernel's release
            assertThat(initrd.get(moduleDir + "modules.dep").text().lines()).isEqualTo(LOAD_ORDER.stream().map(m -> m + ":").toList());
            for (String module : LOAD_ORDER) {
                byte[] content = initrd.get(moduleDir + module).data();
                assertThat(new String(content, StandardCharsets.ISO_8859_1)).as(module + " signature stripped")
                        .startsWith("\177ELF").doesNotContain("~Module signature appended~");
            }
        }

        @Test
        void should_give_byte_identical_outputs_when_built_twice_from_the_same_packages(@TempDir Path other)
                throws IOException {
            Image image = cache.get(RECIPE);
            BuildInputs inputs = BuildInputs.of(Manifest.fromJson(Files.readAllBytes(image.manifest())));
            Path first = Files.createDirectories(other.resolve("first"));
            Path second = Files.createDirectories(other.resolve("second"));

            ImageCache offline = cacheUsing(noNetwork());
            Manifest a = offline.builder(RECIPE).build(inputs, first);
            Manifest b = offline.builder(RECIPE).build(inputs, second);

            assertThat(a.id()).isEqualTo(b.id()).isEqualTo(image.id());
            for (String name : List.of("vmlinuz", "initrd.cpio", "bios.bin")) {
                assertThat(first.resolve(name)).hasSameBinaryContentAs(second.resolve(name))
                        .hasSameBinaryContentAs(image.manifest().resolveSibling(name));
            }
        }
    }

    @Nested
    class Reuse {

        @Test
        void should_not_touch_the_network_for_a_built_image() {
            Image built = cache.get(RECIPE);

            Image again = cacheUsing(noNetwork()).get(RECIPE);

            assertThat(again).isEqualTo(built);
        }

        @Test
        void should_rebuild_a_damaged_image_from_the_cached_packages() throws IOException {
            Image built = cache.get(RECIPE);
            byte[] initrd = Files.readAllBytes(built.initrd());
            initrd[200] ^= 1;
            Files.write(built.initrd(), initrd);
            int before = archive.requests().size();

            Image rebuilt = cache.get(RECIPE);

            assertThat(rebuilt).isEqualTo(built);
            assertThat(built.initrd()).hasSameBinaryContentAs(
                    cacheUsing(noNetwork()).get(RECIPE).initrd());
            assertThat(archive.requests().subList(before, archive.requests().size()))
                    .as("the index is fetched again, the packages are not")
                    .extracting(uri -> uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1))
                    .hasSize(2).first().isEqualTo("InRelease");
        }

        @Test
        void should_rebuild_when_the_manifest_is_missing() throws IOException {
            Image built = cache.get(RECIPE);
            Files.delete(built.manifest());

            assertThat(cache.get(RECIPE)).isEqualTo(built);
            assertThat(built.manifest()).exists();
        }

        @Test
        void should_build_only_once_when_threads_ask_at_the_same_time() throws Exception {
            archive.delay(100);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Image>> results = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    results.add(pool.submit(() -> cache.get(RECIPE)));
                }
                Image first = results.get(0).get();
                for (Future<Image> result : results) {
                    assertThat(result.get()).isEqualTo(first);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(archive.requestsEndingWith("/InRelease")).isEqualTo(1);
            assertThat(archive.requestsEndingWith(".deb")).isEqualTo(3);
        }
    }

    @Nested
    class Failures {

        @Test
        void should_refuse_an_archive_whose_inrelease_was_altered_and_leave_nothing_behind() throws IOException {
            String path = "dists/bookworm/InRelease";
            archive.put(path, new String(archive.file(path), StandardCharsets.UTF_8)
                    .replace("Codename: bookworm", "Codename: bookworm\nX-Injected: yes")
                    .getBytes(StandardCharsets.UTF_8));

            assertThatThrownBy(() -> cache.get(RECIPE))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessageStartingWith("BAD signature on " + FakeArchive.MIRROR + "/" + path);
            try (Stream<Path> files = Files.list(imagesDir)) {
                assertThat(files.map(p -> p.getFileName().toString())).allMatch(name -> name.endsWith(".lock"));
            }
        }

        @Test
        void should_refuse_a_validly_signed_release_of_another_suite() {
            archive.publish("trixie", "Sat, 11 Jul 2026 10:16:37 UTC");
            archive.put("dists/bookworm/InRelease", archive.file("dists/trixie/InRelease"));

            assertThatThrownBy(() -> cache.get(RECIPE))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessageContaining("describes suite 'oldstable' (codename 'trixie'), not 'bookworm'");
        }

        @Test
        void should_name_the_package_whose_download_is_corrupt() {
            PackageEntry seabios = cache.builder(RECIPE).resolve().named("seabios");
            byte[] corrupt = archive.seabiosDeb.clone();
            corrupt[corrupt.length - 1] ^= 1;
            archive.put(seabios.filename(), corrupt);

            assertThatThrownBy(() -> cache.get(RECIPE))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessage("seabios 1.16.2-1: sha256 mismatch for " + FakeArchive.MIRROR + "/" + seabios.filename()
                            + ": expected " + FakeArchive.sha256(archive.seabiosDeb) + ", actual "
                            + FakeArchive.sha256(corrupt));
        }
    }
}
