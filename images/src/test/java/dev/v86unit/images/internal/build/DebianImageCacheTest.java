package dev.v86unit.images.internal.build;

import dev.v86unit.images.Image;
import dev.v86unit.images.UnknownPackageException;
import dev.v86unit.images.internal.debian.HttpSource;
import dev.v86unit.images.internal.rootfs.FsJson;
import dev.v86unit.images.testing.FakeArchive;
import dev.v86unit.images.testing.FakeRootfsPackages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The debian build end to end against an offline, test-signed archive with a tiny userland. */
@DisplayName("ImageCache builds images with a root filesystem")
class DebianImageCacheTest {

    private static final Recipe RECIPE = FakeRootfsPackages.recipe();

    @TempDir
    Path imagesDir;

    private FakeArchive archive;
    private ImageCache cache;

    @BeforeEach
    void setUp() {
        archive = new FakeArchive();
        FakeRootfsPackages.addTo(archive);
        cache = cacheUsing(archive, imagesDir);
    }

    private ImageCache cacheUsing(HttpSource http, Path dir) {
        return new ImageCache(dir, FakeArchive.MIRROR, http, archive::keyring);
    }

    private static HttpSource noNetwork() {
        return uri -> {
            throw new AssertionError("Unexpected network access: " + uri);
        };
    }

    private static Map<String, FsJson.Entry> entries(Image image) throws IOException {
        return FsJson.read(Files.readAllBytes(image.rootfs())).stream()
                .collect(Collectors.toMap(FsJson.Entry::path, Function.identity()));
    }

    private static String content(Image image, FsJson.Entry entry) throws IOException {
        return Files.readString(image.rootfsStore().resolve(entry.data()));
    }

    @Nested
    class FirstBuild {

        @Test
        void should_resolve_essential_requested_and_dependent_packages_and_record_them() throws IOException {
            Image image = cache.get(RECIPE);

            Manifest manifest = Manifest.fromJson(Files.readAllBytes(image.manifest()));
            assertThat(manifest.rootfs().packages()).extracting(Manifest.Input::packageName).containsExactly(
                    "base-files", "base-passwd", "bzip2", "dash", "debianutils", "libc6", "libgcc-s1", "mawk",
                    "python3", "python3.11");
            assertThat(manifest.outputs()).extracting(Manifest.Output::name)
                    .containsExactly("bios.bin", "initrd.cpio", "rootfs.json", "vmlinuz");
            assertThat(manifest.rootfs().files()).isEqualTo(entries(image).values().stream().filter(FsJson.Entry::isFile)
                    .count());
            assertThat(image.rootfs()).isEqualTo(imagesDir.resolve(RECIPE.directoryName()).resolve("rootfs.json"));
            assertThat(image.rootfsStore()).isEqualTo(imagesDir.resolve("rootfs-store"));
            assertThat(image.cmdline()).endsWith(" v86unit.root=9p v86unit.rootcache=loose");
            assertThat(image.memoryMb()).isEqualTo(256);
        }

        @Test
        void should_boot_the_same_initramfs_as_busybox() {
            Image debian = cache.get(RECIPE);
            Image busybox = cache.get(BuiltInRecipes.find("busybox").orElseThrow());

            assertThat(debian.initrd()).hasSameBinaryContentAs(busybox.initrd());
            assertThat(debian.kernel()).hasSameBinaryContentAs(busybox.kernel());
            assertThat(busybox.rootfs()).isNull();
            assertThat(busybox.rootfsStore()).isNull();
        }

        @Test
        void should_lay_out_a_merged_usr_tree_with_dpkg_s_database_as_after_unpacking() throws IOException {
            Image image = cache.get(RECIPE);
            Map<String, FsJson.Entry> fs = entries(image);

            assertThat(fs.get("bin").data()).isEqualTo("usr/bin");
            assertThat(fs.get("sbin").data()).isEqualTo("usr/sbin");
            assertThat(fs.get("lib").data()).isEqualTo("usr/lib");
            assertThat(fs.get("usr/bin/sh").data()).isEqualTo("dash");
            assertThat(fs.get("usr/bin/python3").data()).isEqualTo("python3.11");
            assertThat(fs.get("usr/lib/i386-linux-gnu/libc.so.6").isFile()).isTrue();
            assertThat(fs.get("usr/bin/bzcat").data()).isEqualTo(fs.get("usr/bin/bunzip2").data());
            assertThat(fs).doesNotContainKeys("usr/bin/not-a-file", "usr/share/doc", "usr/share/man",
                    "etc/machine-id");
            assertThat(fs.get("usr/bin/awk").data()).isEqualTo("/etc/alternatives/awk");
            assertThat(fs.get("etc/alternatives/awk").data()).isEqualTo("/usr/bin/mawk");
            assertThat(fs.get("usr/bin/nawk").data()).isEqualTo("/etc/alternatives/nawk");
            assertThat(fs.get("etc/alternatives/which").data()).isEqualTo("/usr/bin/which.debianutils");
            assertThat(content(image, fs.get("etc/passwd"))).startsWith("root:x:0:0:root:/root:/bin/bash\n");
            assertThat(content(image, fs.get("etc/shadow"))).startsWith("root:*:");
            assertThat(content(image, fs.get("etc/shells"))).isEqualTo(
                    "# /etc/shells: valid login shells\n/bin/sh\n/usr/bin/sh\n");
            assertThat(content(image, fs.get("root/.profile"))).isEqualTo("# ~/.profile\n");
            assertThat(content(image, fs.get("etc/hostname"))).isEqualTo("v86unit\n");
            assertThat(content(image, fs.get("etc/hosts"))).contains("127.0.1.1\tv86unit\n");
            assertThat(content(image, fs.get("var/lib/dpkg/status"))).contains(
                    "Package: base-files\nStatus: install ok unpacked\nVersion: 12.4\n");
            assertThat(fs.get("var/run").data()).isEqualTo("/run");
            assertThat(fs.get("etc/dpkg/origins/default").data()).isEqualTo("debian");
            assertThat(fs.get("var/mail").mode()).isEqualTo(042775);
            assertThat(fs.get("var/mail").gid()).isEqualTo(8);
            assertThat(fs.get("root").mode()).isEqualTo(040700);
            assertThat(fs.get("tmp").mode()).isEqualTo(041777);
            assertThat(fs.get("mnt/v86unit").mode()).isEqualTo(040755);
            assertThat(fs).doesNotContainKey(dev.v86unit.images.internal.rootfs.FirstBoot.PATH);
        }

        @Test
        void should_install_the_guest_init_as_sbin_v86unit_init() throws IOException {
            Image image = cache.get(RECIPE);
            FsJson.Entry init = entries(image).get("usr/sbin/v86unit-init");

            assertThat(init.mode()).isEqualTo(0100755);
            assertThat(image.rootfsStore().resolve(init.data())).hasBinaryContent(RECIPE.rootfs().guestInit());
            assertThat(new String(RECIPE.rootfs().guestInit(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(BuiltInRecipes.find("debian").orElseThrow().rootfs().guestInit(),
                            StandardCharsets.UTF_8));
        }

        @Test
        void should_give_the_same_bytes_and_id_in_another_cache(@TempDir Path other) throws IOException {
            Image first = cache.get(RECIPE);

            Image second = cacheUsing(archive, other).get(RECIPE);

            assertThat(second.id()).isEqualTo(first.id());
            assertThat(second.rootfs()).hasSameBinaryContentAs(first.rootfs());
            assertThat(second.manifest()).hasSameBinaryContentAs(first.manifest());
        }
    }

    @Nested
    class DerivedImages {

        @Test
        void should_add_the_extra_packages_under_another_id_sharing_the_store() throws IOException {
            Image base = cache.get(RECIPE);
            long storeFiles;
            try (var files = Files.list(base.rootfsStore())) {
                storeFiles = files.count();
            }

            Image withBc = cache.get(RECIPE.withExtraPackages(List.of("bc")));

            assertThat(withBc.id()).isNotEqualTo(base.id());
            assertThat(withBc.rootfsStore()).isEqualTo(base.rootfsStore());
            assertThat(entries(withBc)).containsKey("usr/bin/bc");
            assertThat(entries(base)).doesNotContainKey("usr/bin/bc");
            try (var files = Files.list(base.rootfsStore())) {
                assertThat(files.count()).as("bc, its status entry and the new rootfs files only")
                        .isBetween(storeFiles + 1, storeFiles + 3);
            }
        }

        @Test
        void should_fail_for_an_unknown_package_before_downloading_any_package() {
            assertThatThrownBy(() -> cache.get(RECIPE.withExtraPackages(List.of("no-such-pkg"))))
                    .isInstanceOf(UnknownPackageException.class)
                    .hasMessage("Package 'no-such-pkg' is not in Debian bookworm main (i386), requested for image"
                            + " 'debian'");
            assertThat(archive.requestsEndingWith(".deb")).isZero();
        }
    }

    @Nested
    class Reuse {

        @Test
        void should_not_touch_the_network_for_a_built_image() {
            Image built = cache.get(RECIPE);

            assertThat(cacheUsing(noNetwork(), imagesDir).get(RECIPE)).isEqualTo(built);
        }

        @Test
        void should_rebuild_when_a_store_file_is_missing_or_has_another_size() throws IOException {
            Image built = cache.get(RECIPE);
            FsJson.Entry python = entries(built).get("usr/bin/python3.11");
            Files.delete(built.rootfsStore().resolve(python.data()));
            int before = archive.requests().size();

            Image rebuilt = cache.get(RECIPE);

            assertThat(rebuilt).isEqualTo(built);
            assertThat(built.rootfsStore().resolve(python.data())).hasContent("python binary");
            assertThat(archive.requests().subList(before, archive.requests().size()))
                    .as("the index again, no package").noneMatch(u -> u.getPath().endsWith(".deb"));

            Files.writeString(built.rootfsStore().resolve(python.data()), "truncated");
            assertThat(cache.get(RECIPE)).isEqualTo(built);
            assertThat(built.rootfsStore().resolve(python.data())).hasContent("python binary");
        }
    }
}
