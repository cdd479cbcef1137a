package dev.v86unit.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageStoreTest {

    @TempDir
    Path imagesDir;

    @Test
    void should_list_the_built_in_images() {
        assertThat(ImageStore.builtInNames()).containsExactly("busybox", "debian", "debian:11", "debian:12", "debian:13",
                "debian:bookworm", "debian:bullseye", "debian:trixie");
        assertThatThrownBy(() -> ImageStore.builtInNames().add("alpine"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void should_name_the_unknown_image_and_the_available_ones() {
        ImageStore store = new ImageStore(imagesDir, ImageStore.DEFAULT_DEBIAN_MIRROR);

        assertThatThrownBy(() -> store.get("foo"))
                .isInstanceOf(UnknownImageException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown image 'foo'. Available images: "
                        + "busybox, debian, debian:11, debian:12, debian:13, debian:bookworm, debian:bullseye, debian:trixie, rootfs:<classpath:|file:|path of an i386 root filesystem tar[.gz|.xz|.zst]>, oci:<classpath:|file:|path of a linux/386 docker save or OCI layout tar>")
                .extracting(e -> ((UnknownImageException) e).imageName()).isEqualTo("foo");
        assertThat(imagesDir).as("nothing created for an unknown image").isEmptyDirectory();
    }

    @Test
    void should_refuse_extra_packages_for_an_image_without_a_root_filesystem_before_any_work() {
        ImageStore store = new ImageStore(imagesDir, ImageStore.DEFAULT_DEBIAN_MIRROR);

        assertThatThrownBy(() -> store.get("busybox", List.of("bc")))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("Image 'busybox' has no root filesystem to add packages to; use 'debian'");
        assertThatThrownBy(() -> store.get("debian", List.of("bc", "BC")))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'BC' is not a Debian package name");
        assertThat(imagesDir).isEmptyDirectory();
    }

    @Test
    void should_default_to_debians_redirector() {
        assertThat(ImageStore.DEFAULT_DEBIAN_MIRROR).isEqualTo(URI.create("http://deb.debian.org/debian"));
    }

    @Test
    void should_reject_a_mirror_that_is_not_http() {
        assertThatThrownBy(() -> new ImageStore(imagesDir, URI.create("file:///srv/debian")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The Debian mirror must be an http or https URI, e.g. http://deb.debian.org/debian,"
                        + " but was file:///srv/debian");
    }

    @Test
    void should_reject_nulls_by_name() {
        assertThatThrownBy(() -> new ImageStore(null, ImageStore.DEFAULT_DEBIAN_MIRROR)).hasMessage("imagesDir");
        assertThatThrownBy(() -> new ImageStore(imagesDir, null)).hasMessage("debianMirror");
        assertThatThrownBy(() -> new ImageStore(imagesDir, ImageStore.DEFAULT_DEBIAN_MIRROR).get(null))
                .hasMessage("name");
        assertThatThrownBy(() -> new ImageStore(imagesDir, ImageStore.DEFAULT_DEBIAN_MIRROR).get("debian", null))
                .hasMessage("extraPackages");
    }
    @Test
    void should_check_names_without_building_and_name_a_missing_archive() {
        ImageStore.checkName("debian:bullseye");
        ImageStore.checkName("debian:12");

        assertThatThrownBy(() -> ImageStore.checkName("debian:10"))
                .isInstanceOf(UnknownImageException.class)
                .hasMessageStartingWith("Unknown image 'debian:10'. Available images: busybox, debian, debian:11,");
        assertThatThrownBy(() -> ImageStore.checkName("rootfs:file:no/such/rootfs.tar.gz"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("Image 'rootfs:file:no/such/rootfs.tar.gz': file not found: "
                        + Path.of("no/such/rootfs.tar.gz").toAbsolutePath());
        assertThatThrownBy(() -> ImageStore.checkName("oci:classpath:images/missing.tar"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("Image 'oci:classpath:images/missing.tar': classpath resource not found: 'images/missing.tar'");
        assertThatThrownBy(() -> ImageStore.checkName("rootfs:"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Image 'rootfs:' names no archive");
    }

    @Test
    void should_refuse_packages_for_an_archive_before_any_work() throws Exception {
        Path archive = imagesDir.resolveSibling(imagesDir.getFileName() + "-rootfs.tar");
        java.nio.file.Files.write(archive, dev.v86unit.images.testing.TestTar.i386Rootfs().tar());
        ImageStore store = new ImageStore(imagesDir, ImageStore.DEFAULT_DEBIAN_MIRROR);

        assertThatThrownBy(() -> store.get("rootfs:" + archive, List.of("bc")))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Image 'rootfs:" + archive + "' is an archive you bring; v86unit cannot add"
                        + " Debian packages to it");
        assertThat(imagesDir).isEmptyDirectory();
    }
}
