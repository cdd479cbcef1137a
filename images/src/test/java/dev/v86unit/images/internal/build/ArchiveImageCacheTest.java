package dev.v86unit.images.internal.build;

import dev.v86unit.images.Image;
import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.internal.io.Sha256;
import dev.v86unit.images.internal.oci.ArchiveSource;
import dev.v86unit.images.internal.rootfs.FsJson;
import dev.v86unit.images.testing.ContainerImages;
import dev.v86unit.images.testing.FakeArchive;
import dev.v86unit.images.testing.FakeRootfsPackages;
import dev.v86unit.images.testing.TestTar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** rootfs: and oci: images end to end against the offline, test-signed archive (for the boot files). */
@DisplayName("ImageCache builds images from archives the user brings")
class ArchiveImageCacheTest {

    private static final Recipe BOOT = FakeRootfsPackages.recipe();
    private static final byte[] GUEST_INIT = "#!/bin/sh\nexport PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root\nsetsid -c sh -i\n"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path imagesDir;

    private FakeArchive archive;
    private ImageCache cache;

    @BeforeEach
    void setUp() {
        archive = new FakeArchive();
        FakeRootfsPackages.addTo(archive);
        cache = new ImageCache(imagesDir, FakeArchive.MIRROR, archive, archive::keyring);
    }

    private static ArchiveSource source(String description, byte[] bytes) {
        return new ArchiveSource() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public String description() {
                return description;
            }
        };
    }

    private static Recipe recipe(RootfsArchive.Kind kind, String description, byte[] bytes) {
        return BOOT.withArchive(new RootfsArchive(kind, source(description, bytes), Sha256.hex(bytes), GUEST_INIT));
    }

    private Image rootfs(String description, byte[] bytes) {
        return cache.get(recipe(RootfsArchive.Kind.ROOTFS, description, bytes));
    }

    private Image oci(String description, byte[] bytes) {
        return cache.get(recipe(RootfsArchive.Kind.OCI, description, bytes));
    }

    private static Map<String, FsJson.Entry> entries(Image image) throws IOException {
        return FsJson.read(Files.readAllBytes(image.rootfs())).stream()
                .collect(Collectors.toMap(FsJson.Entry::path, Function.identity()));
    }

    private static String content(Image image, String path) throws IOException {
        return Files.readString(image.rootfsStore().resolve(entries(image).get(path).data()));
    }

    @Nested
    class ARootfsTarball {

        @Test
        void should_become_the_9p_root_with_the_guest_init_and_a_fallback_busybox() throws IOException {
            Image image = rootfs("file:build/mini.tar.gz", TestTar.gzip(TestTar.i386Rootfs().tar()));

            Map<String, FsJson.Entry> rootfs = entries(image);
            assertThat(image.name()).isEqualTo("rootfs:file:build/mini.tar.gz");
            assertThat(image.cmdline()).endsWith(" v86unit.root=9p");
            assertThat(rootfs.get("bin/sh").data()).isEqualTo("busybox");
            assertThat(rootfs.get("bin/busybox").mtime()).isEqualTo(1_700_000_000L);
            assertThat(content(image, "etc/os-release")).isEqualTo("ID=test\n");
            assertThat(content(image, "sbin/v86unit-init")).isEqualTo("#!/bin/sh\nexport PATH=/usr/sbin:/usr/bin:/sbin:/bin"
                    + " HOME=/root\n# A root filesystem the user brought: the static busybox of v86unit, last on the PATH,"
                    + " supplies\n# the commands this script and the control shell use that the userland lacks.\n"
                    + "PATH=$PATH:/usr/lib/v86unit/bin\nsetsid -c /bin/sh -i\n");
            assertThat(rootfs.get("sbin/v86unit-init").mode()).isEqualTo(0100755);
            assertThat(image.rootfsStore().resolve(rootfs.get("usr/lib/v86unit/busybox").data()))
                    .hasBinaryContent(archive.busybox);
            assertThat(rootfs.get("usr/lib/v86unit/bin/mkfifo").data()).isEqualTo("../busybox");
            assertThat(rootfs.get("usr/lib/v86unit/bin/setsid").data()).isEqualTo("../busybox");
            assertThat(rootfs.get("tmp").mode()).isEqualTo(041777);
            assertThat(rootfs).containsKeys("proc", "sys", "dev", "run", "mnt/v86unit", "root", "etc/hosts");
        }

        @Test
        void should_have_an_id_that_depends_on_the_bytes_only() throws IOException {
            byte[] tar = TestTar.i386Rootfs().tar();
            Image plain = rootfs("file:a.tar", tar);

            Image sameBytes = rootfs("classpath:images/other-name.tar", tar);
            Image xz = rootfs("file:a.tar.xz", TestTar.xz(tar));
            Image zstd = rootfs("file:a.tar.zst", TestTar.zstd(tar));
            Image gzip = rootfs("file:a.tar.gz", TestTar.gzip(tar));
            Image other = rootfs("file:b.tar", TestTar.i386Rootfs().file("./etc/motd", "hi\n").tar());

            assertThat(sameBytes.id()).isEqualTo(plain.id());
            assertThat(sameBytes.manifest()).as("the same build, found by the bytes").isEqualTo(plain.manifest());
            assertThat(List.of(xz.id(), zstd.id(), gzip.id())).containsOnly(plain.id());
            assertThat(other.id()).isNotEqualTo(plain.id());
            assertThat(plain.manifest().getParent().getFileName().toString()).matches("rootfs-[0-9a-f]{16}");
            assertThat(plain.kernel()).hasSameBinaryContentAs(cache.get(BOOT).kernel());
            assertThat(plain.initrd()).hasSameBinaryContentAs(cache.get(BOOT).initrd());
        }

        @Test
        void should_keep_hard_links_symlinked_folders_and_the_archives_owners() throws IOException {
            byte[] tar = TestTar.i386Rootfs().dir("./usr/lib", 0755).symlink("./lib", "usr/lib")
                    .file("./lib/libc.so", 0755, "libc".getBytes(StandardCharsets.UTF_8))
                    .hardlink("./usr/lib/libc2.so", "./usr/lib/libc.so").tar();

            Map<String, FsJson.Entry> rootfs = entries(rootfs("file:x.tar", tar));

            assertThat(rootfs.get("lib").data()).isEqualTo("usr/lib");
            assertThat(rootfs.get("usr/lib/libc.so").data()).isEqualTo(rootfs.get("usr/lib/libc2.so").data());
            assertThat(rootfs.get("usr/lib/libc.so").mode()).isEqualTo(0100755);
        }
    }

    @Nested
    class AContainerImage {

        private final byte[] base = TestTar.i386Rootfs().dir("./etc/conf.d", 0755).file("./etc/conf.d/a", "a\n")
                .file("./etc/conf.d/b", "b\n").file("./etc/old", "old\n").tar();
        private final byte[] top = new TestTar().dir("etc", 0755).file("etc/.wh.old", "").dir("etc/conf.d", 0755)
                .file("etc/conf.d/.wh..wh..opq", "").file("etc/conf.d/c", "c\n").file("etc/new", "new\n").tar();

        @Test
        void should_apply_the_layers_in_order_with_their_whiteouts() throws IOException {
            Image image = oci("file:app.tar", ContainerImages.dockerSave(ContainerImages.config("linux", "386"),
                    List.of(base, TestTar.gzip(top))));

            Map<String, FsJson.Entry> rootfs = entries(image);
            assertThat(rootfs).containsKeys("etc/new", "etc/conf.d/c", "bin/sh")
                    .doesNotContainKeys("etc/old", "etc/.wh.old", "etc/conf.d/a", "etc/conf.d/b",
                            "etc/conf.d/.wh..wh..opq");
            assertThat(content(image, "etc/new")).isEqualTo("new\n");
        }

        @Test
        void should_read_an_oci_layout_the_same_way() throws IOException {
            byte[] config = ContainerImages.config("linux", "386");
            Image saved = oci("file:app.tar", ContainerImages.dockerSave(config, List.of(base, TestTar.gzip(top))));

            Image layout = oci("file:app-oci.tar", ContainerImages.ociLayout(config, List.of(base, TestTar.gzip(top)), true));

            assertThat(layout.id()).isEqualTo(saved.id());
            assertThat(layout.manifest().getParent().getFileName().toString()).startsWith("oci-");
        }

        @Test
        void should_refuse_an_amd64_image_naming_it_and_its_platform() {
            byte[] amd64 = ContainerImages.dockerSave(ContainerImages.config("linux", "amd64"), List.of(base));

            assertThatThrownBy(() -> oci("file:build/app-amd64.tar", amd64))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessageStartingWith("oci:file:build/app-amd64.tar is an image for linux/amd64 (")
                    .hasMessageContaining("it needs linux/386. With Docker: docker pull --platform linux/386");
        }

        @Test
        void should_refuse_an_index_without_a_linux_386_image_listing_what_it_has() {
            byte[] arm = ContainerImages.ociLayout(ContainerImages.config("linux", "arm64"), List.of(base), "arm64");

            assertThatThrownBy(() -> oci("file:app-arm.tar", arm))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessage("oci:file:app-arm.tar has no image for linux/386 (v86 emulates an i386 PC); it has"
                            + " [linux/arm64]. Pull and save the 386 one: docker pull --platform linux/386 <image>");
        }

        @Test
        void should_refuse_a_blob_whose_bytes_do_not_match_its_name() {
            byte[] layout = ContainerImages.ociLayout(ContainerImages.config("linux", "386"), List.of(base), true);
            String marker = "ID=test";
            int at = new String(layout, StandardCharsets.ISO_8859_1).indexOf(marker);
            layout[at] = 'X';

            assertThatThrownBy(() -> oci("file:damaged.tar", layout))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessageStartingWith("oci:file:damaged.tar: blobs/sha256/" + Sha256.hex(base) + " has sha256 ")
                    .hasMessageEndingWith("; the archive is damaged or was altered");
        }

        @Test
        void should_refuse_an_archive_without_a_manifest() {
            assertThatThrownBy(() -> oci("file:rootfs.tar", TestTar.i386Rootfs().tar()))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessageStartingWith("oci:file:rootfs.tar is not a container image archive: it has neither"
                            + " index.json (OCI image layout) nor manifest.json (docker save)");
        }
    }

    @Nested
    class BadInput {

        @Test
        void should_refuse_what_is_not_a_tar() {
            byte[] text = "hello, this is not a tar archive at all\n".repeat(40).getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> rootfs("file:notes.txt", text))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessageStartingWith("rootfs:file:notes.txt is not a tar archive");
            assertThatThrownBy(() -> rootfs("file:notes.txt.gz", TestTar.gzip(text)))
                    .hasMessageStartingWith("rootfs:file:notes.txt.gz is not a tar archive");
        }

        @Test
        void should_refuse_absolute_paths() {
            byte[] tar = TestTar.i386Rootfs().file("/etc/passwd", "root:x:0:0::/:/bin/sh\n").tar();
            assertThatThrownBy(() -> rootfs("file:abs.tar", tar))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessageStartingWith("rootfs:file:abs.tar: member '/etc/passwd' has an absolute path");
        }

        @Test
        void should_refuse_paths_that_leave_the_root() {
            byte[] tar = TestTar.i386Rootfs().file("./etc/../../evil", "x").tar();
            assertThatThrownBy(() -> rootfs("file:dots.tar", tar))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessage("rootfs:file:dots.tar: member './etc/../../evil' has a '..' component, which would reach"
                            + " outside the root filesystem");
        }

        @Test
        void should_refuse_device_nodes() {
            byte[] tar = TestTar.i386Rootfs().dir("./dev", 0755).charDevice("./dev/null", 1, 3).tar();
            assertThatThrownBy(() -> rootfs("file:dev.tar", tar))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessageStartingWith("rootfs:file:dev.tar: /dev/null is a device node (character 1,3);")
                    .hasMessageContaining("leave them out of the archive");
        }

        @Test
        void should_refuse_a_rootfs_without_bin_sh() {
            byte[] tar = new TestTar().dir("./etc", 0755).file("./etc/os-release", "ID=x\n").tar();
            assertThatThrownBy(() -> rootfs("file:nosh.tar", tar))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessage("rootfs:file:nosh.tar has no /bin/sh; v86unit's guest init and control shell need a"
                            + " POSIX shell there (busybox, dash or bash)");
            byte[] dangling = new TestTar().dir("./bin", 0755).symlink("./bin/sh", "dash").tar();
            assertThatThrownBy(() -> rootfs("file:dangling.tar", dangling))
                    .hasMessageStartingWith("rootfs:file:dangling.tar has no /bin/sh (/bin/sh is a symlink to dash,"
                            + " which is not a file in the archive)");
        }

        @Test
        void should_refuse_an_amd64_root_filesystem() {
            byte[] tar = new TestTar().dir("./bin", 0755).file("./bin/sh", 0755, TestTar.elf(2, 62)).tar();
            assertThatThrownBy(() -> rootfs("file:amd64.tar", tar))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessageStartingWith("rootfs:file:amd64.tar: /bin/sh is an x86-64 (amd64) program, but v86"
                            + " emulates a 32-bit i386 PC");
        }

        @Test
        void should_refuse_debian_packages_on_top() {
            Recipe recipe = recipe(RootfsArchive.Kind.ROOTFS, "file:a.tar", TestTar.i386Rootfs().tar());
            assertThatThrownBy(() -> recipe.withExtraPackages(List.of("bc")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Image 'rootfs:file:a.tar' is an archive you bring; v86unit cannot add"
                            + " Debian packages to it");
        }
    }
}
