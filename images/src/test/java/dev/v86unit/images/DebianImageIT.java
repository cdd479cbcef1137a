package dev.v86unit.images;

import dev.v86unit.images.internal.build.Manifest;
import dev.v86unit.images.internal.debian.HttpSource;
import dev.v86unit.images.internal.debian.JdkHttpSource;
import dev.v86unit.images.internal.rootfs.FsJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Builds the real {@code debian} image from deb.debian.org (about 85 MB of downloads) into a fresh cache,
 * then a derived image and a second cache from the same packages.
 */
@DisplayName("The debian image, built from the real Debian archive")
class DebianImageIT {

    @TempDir
    static Path cacheDir;

    private static Path imagesDir;
    private static final List<URI> REQUESTS = Collections.synchronizedList(new ArrayList<>());
    private static final HttpSource COUNTING = uri -> {
        REQUESTS.add(uri);
        return new JdkHttpSource().open(uri);
    };
    private static final HttpSource NO_NETWORK = uri -> {
        throw new AssertionError("Unexpected network access: " + uri);
    };
    private static ImageStore store;
    private static Image image;
    private static Manifest manifest;
    private static Map<String, FsJson.Entry> rootfs;

    @BeforeAll
    static void buildOnce() throws IOException {
        imagesDir = cacheDir.resolve("images");
        store = new ImageStore(imagesDir, ImageStore.DEFAULT_DEBIAN_MIRROR, COUNTING);
        long start = System.nanoTime();
        image = store.get("debian");
        System.out.printf("Fresh build of 'debian' (download + build): %d ms%n", (System.nanoTime() - start) / 1_000_000);
        manifest = Manifest.fromJson(Files.readAllBytes(image.manifest()));
        rootfs = entries(image);
    }

    private static Map<String, FsJson.Entry> entries(Image image) throws IOException {
        return FsJson.read(Files.readAllBytes(image.rootfs())).stream()
                .collect(Collectors.toMap(FsJson.Entry::path, Function.identity()));
    }

    private static String text(String path) throws IOException {
        return Files.readString(image.rootfsStore().resolve(rootfs.get(path).data()), StandardCharsets.UTF_8);
    }

    private static long debRequestsSince(int index) {
        synchronized (REQUESTS) {
            return REQUESTS.subList(index, REQUESTS.size()).stream().filter(u -> u.getPath().endsWith(".deb")).count();
        }
    }

    @Nested
    class TheBaseImage {

        @Test
        void should_boot_the_busybox_initramfs_into_the_cached_9p_root_with_256_mb() {
            assertThat(image.name()).isEqualTo("debian");
            assertThat(image.id()).matches("sha256:[0-9a-f]{64}").isEqualTo(manifest.id());
            assertThat(image.cmdline()).endsWith(" v86unit.root=9p v86unit.rootcache=loose");
            assertThat(image.memoryMb()).isEqualTo(256);
            assertThat(image.rootfs()).isRegularFile().hasFileName("rootfs.json");
            assertThat(image.rootfsStore()).isDirectory().isEqualTo(imagesDir.resolve("rootfs-store"));
            assertThat(manifest.outputs()).extracting(Manifest.Output::name)
                    .containsExactly("bios.bin", "initrd.cpio", "rootfs.json", "vmlinux", "vmlinuz");
        }

        @Test
        void should_resolve_python3_and_the_base_userland_with_their_dependencies() {
            List<String> packages = manifest.rootfs().packages().stream().map(Manifest.Input::packageName).toList();
            assertThat(packages).contains("base-files", "base-passwd", "bash", "coreutils", "dash", "libc6", "mawk",
                    "mount", "procps", "python3", "python3.11", "libpython3.11-stdlib", "util-linux", "usr-is-merged")
                    .doesNotContain("usrmerge", "perl", "systemd").hasSizeBetween(80, 120).isSorted();
            assertThat(manifest.rootfs().packages()).allSatisfy(in -> assertThat(in.sha256()).matches("[0-9a-f]{64}"));
            System.out.printf("Root filesystem: %d packages, %d files, %.1f MB%n", packages.size(),
                    manifest.rootfs().files(), manifest.rootfs().bytes() / 1e6);
        }

        @Test
        void should_contain_python_bash_users_and_the_guest_init_in_a_merged_usr_tree() throws IOException {
            assertThat(rootfs.get("usr/bin/python3.11").isFile()).isTrue();
            assertThat(rootfs.get("usr/bin/python3.11").mode() & 0777).isEqualTo(0755);
            assertThat(rootfs.get("usr/bin/python3").data()).isEqualTo("python3.11");
            assertThat(rootfs.get("usr/bin/bash").isFile()).isTrue();
            assertThat(rootfs.get("bin").data()).isEqualTo("usr/bin");
            assertThat(rootfs.get("sbin").data()).isEqualTo("usr/sbin");
            assertThat(rootfs.get("usr/bin/sh").data()).isEqualTo("dash");
            assertThat(text("etc/passwd")).startsWith("root:x:0:0:root:/root:/bin/bash\n");
            assertThat(rootfs.get("usr/sbin/v86unit-init").mode()).isEqualTo(0100755);
            try (InputStream in = ImageStore.class.getResourceAsStream("/dev/v86unit/images/guest/v86unit-init")) {
                assertThat(image.rootfsStore().resolve(rootfs.get("usr/sbin/v86unit-init").data()))
                        .hasBinaryContent(in.readAllBytes());
            }
            // Left to the guest's first boot, which runs the maintainer scripts (update-alternatives among them).
            assertThat(rootfs.get("etc/v86unit/first-boot").mode()).isEqualTo(0100755);
            assertThat(rootfs.get("var/lib/dpkg/info/mawk.postinst").isFile()).isTrue();
            assertThat(text("var/lib/dpkg/status")).contains("Package: mawk\nStatus: install ok unpacked\n");
            assertThat(rootfs).doesNotContainKey("usr/bin/awk");
            assertThat(rootfs.get("usr/bin/mount").isFile()).isTrue();
            assertThat(rootfs.get("mnt/v86unit").isDirectory()).isTrue();
        }

        @Test
        void should_leave_out_documentation_and_anything_machine_specific() {
            assertThat(rootfs.keySet()).noneMatch(p -> p.startsWith("usr/share/doc") || p.startsWith("usr/share/man")
                    || p.startsWith("usr/share/locale") || p.startsWith("usr/share/info"));
            assertThat(rootfs).doesNotContainKeys("etc/machine-id", "var/lib/dbus/machine-id");
        }

        @Test
        void should_have_every_file_in_the_shared_store() {
            assertThat(rootfs.values()).filteredOn(FsJson.Entry::isFile)
                    .hasSize((int) manifest.rootfs().files())
                    .allSatisfy(e -> assertThat(image.rootfsStore().resolve(e.data())).hasSize(e.size()));
        }
    }

    @Nested
    class Reuse {

        @Test
        void should_get_the_built_image_again_without_network_access() {
            long start = System.nanoTime();
            Image again = new ImageStore(imagesDir, URI.create("http://mirror.invalid/debian"), NO_NETWORK).get("debian");
            long elapsed = System.nanoTime() - start;

            assertThat(again).isEqualTo(image);
            System.out.printf("Cached get of 'debian': %.1f ms%n", elapsed / 1e6);
        }

        @Test
        void should_build_the_same_bytes_and_id_in_another_cache_directory(@TempDir Path other) throws IOException {
            Path otherImages = other.resolve("images");
            Files.createDirectories(otherImages.resolve("debs"));
            try (Stream<Path> debs = Files.list(imagesDir.resolve("debs"))) {
                for (Path deb : (Iterable<Path>) debs::iterator) {
                    Files.createLink(otherImages.resolve("debs").resolve(deb.getFileName()), deb);
                }
            }
            int before = REQUESTS.size();

            Image second = new ImageStore(otherImages, ImageStore.DEFAULT_DEBIAN_MIRROR, COUNTING).get("debian");

            assertThat(debRequestsSince(before)).as("packages taken from the shared download folder").isZero();
            assertThat(second.id()).isEqualTo(image.id());
            assertThat(second.rootfs()).hasSameBinaryContentAs(image.rootfs());
            assertThat(second.initrd()).hasSameBinaryContentAs(image.initrd());
            System.out.printf("Image id in two cache directories: %s and %s%n", image.id(), second.id());
        }
    }

    @Nested
    class DerivedImages {

        @Test
        void should_add_a_package_under_another_id() throws IOException {
            int before = REQUESTS.size();

            Image withBc = store.get("debian", List.of("bc"));

            assertThat(withBc.id()).isNotEqualTo(image.id());
            assertThat(withBc.rootfsStore()).isEqualTo(image.rootfsStore());
            assertThat(entries(withBc).get("usr/bin/bc").isFile()).isTrue();
            assertThat(rootfs).doesNotContainKey("usr/bin/bc");
            assertThat(debRequestsSince(before)).as("only bc is new").isEqualTo(1);
            assertThat(store.get("debian", List.of("bc", "bc"))).isEqualTo(withBc);
        }

        @Test
        void should_name_a_package_that_does_not_exist() {
            int before = REQUESTS.size();

            assertThatThrownBy(() -> store.get("debian", List.of("no-such-pkg")))
                    .isInstanceOf(UnknownPackageException.class)
                    .hasMessage("Package 'no-such-pkg' is not in Debian bookworm main (i386), requested for image"
                            + " 'debian'");
            assertThat(debRequestsSince(before)).isZero();
        }
    }
}
