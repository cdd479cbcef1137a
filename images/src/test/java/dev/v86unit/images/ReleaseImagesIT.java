package dev.v86unit.images;

import dev.v86unit.images.internal.build.Manifest;
import dev.v86unit.images.internal.rootfs.FsJson;
import org.junit.jupiter.api.BeforeAll;
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

/**
 * Builds {@code debian:11} (bullseye) and {@code debian:13} (trixie) from deb.debian.org into a fresh cache:
 * each its own release's userland, verified against that release's archive keys, on bookworm's kernel.
 */
@DisplayName("Debian releases as image names, built from the real archive")
class ReleaseImagesIT {

    @TempDir
    static Path cacheDir;
    private static ImageStore store;
    private static Image bullseye;
    private static Image trixie;

    @BeforeAll
    static void build() {
        store = new ImageStore(cacheDir.resolve("images"), ImageStore.DEFAULT_DEBIAN_MIRROR);
        long start = System.nanoTime();
        bullseye = store.get("debian:11");
        long middle = System.nanoTime();
        trixie = store.get("debian:13");
        System.out.printf("Fresh build of 'debian:11': %d ms, of 'debian:13': %d ms%n", (middle - start) / 1_000_000,
                (System.nanoTime() - middle) / 1_000_000);
    }

    private static Manifest manifest(Image image) throws IOException {
        return Manifest.fromJson(Files.readAllBytes(image.manifest()));
    }

    private static Map<String, FsJson.Entry> entries(Image image) throws IOException {
        return FsJson.read(Files.readAllBytes(image.rootfs())).stream()
                .collect(Collectors.toMap(FsJson.Entry::path, Function.identity()));
    }

    private static String text(Image image, String path) throws IOException {
        return Files.readString(image.rootfsStore().resolve(entries(image).get(path).data()), StandardCharsets.UTF_8);
    }

    /**
     * As debian's: dpkg's database as after unpacking, the maintainer scripts left to the guest's first boot
     * (so no alternatives yet), whichever release's dpkg reads it.
     */
    private static void assertUnpackedForTheFirstBoot(Image image) throws IOException {
        Map<String, FsJson.Entry> rootfs = entries(image);
        assertThat(rootfs.get("etc/v86unit/first-boot").mode()).isEqualTo(0100755);
        assertThat(rootfs.get("usr/bin/dpkg").isFile()).isTrue();
        assertThat(rootfs.get("var/lib/dpkg/info/mawk.postinst").isFile()).isTrue();
        assertThat(rootfs.get("var/lib/dpkg/info/libc6:i386.list").isFile()).isTrue();
        assertThat(text(image, "var/lib/dpkg/status")).contains("Package: mawk\nStatus: install ok unpacked\n")
                .doesNotContain("Status: install ok installed");
        assertThat(rootfs).doesNotContainKey("usr/bin/awk");
    }

    private static List<String> packages(Image image) throws IOException {
        return manifest(image).rootfs().packages().stream().map(Manifest.Input::packageName).toList();
    }

    @Nested
    class Bullseye {

        @Test
        void should_have_bullseyes_glibc_and_python_on_the_same_boot_files_as_debian() throws IOException {
            assertThat(store.get("debian:bullseye")).isEqualTo(bullseye);
            assertThat(packages(bullseye)).contains("libc6", "python3.9", "bash", "mount").doesNotContain("usr-is-merged");
            assertThat(manifest(bullseye).rootfs().packages()).filteredOn(p -> p.packageName().equals("libc6"))
                    .singleElement().satisfies(p -> assertThat(p.version()).startsWith("2.31-"));
            assertThat(entries(bullseye).get("usr/bin/python3.9").isFile()).isTrue();
            assertThat(bullseye.cmdline()).endsWith(" v86unit.root=9p");
            assertThat(manifest(bullseye).kernelVersion()).endsWith("-686");
        }

        @Test
        void should_leave_the_maintainer_scripts_to_the_first_boot() throws IOException {
            assertUnpackedForTheFirstBoot(bullseye);
        }

        @Test
        void should_add_packages_that_only_bullseye_has() throws IOException {
            Image withSsl = store.get("debian:11", List.of("openssl"));

            assertThat(withSsl.id()).isNotEqualTo(bullseye.id());
            assertThat(entries(bullseye)).containsKey("usr/lib/i386-linux-gnu/libssl.so.1.1");
            assertThat(entries(withSsl).get("usr/bin/openssl").isFile()).isTrue();
        }

        @Test
        void should_name_the_release_of_a_missing_package() {
            assertThatThrownBy(() -> store.get("debian:11", List.of("no-such-pkg")))
                    .isInstanceOf(UnknownPackageException.class)
                    .hasMessage("Package 'no-such-pkg' is not in Debian bullseye main (i386), requested for image"
                            + " 'debian:11'");
        }
    }

    @Nested
    class Trixie {

        @Test
        void should_have_trixies_python_on_bookworms_kernel() throws IOException {
            assertThat(store.get("debian:trixie")).isEqualTo(trixie);
            assertThat(packages(trixie)).contains("libc6", "python3.13", "bash");
            assertThat(entries(trixie).get("usr/bin/python3.13").isFile()).isTrue();
            assertThat(trixie.kernel()).hasSameBinaryContentAs(bullseye.kernel());
            assertThat(trixie.initrd()).hasSameBinaryContentAs(bullseye.initrd());
            assertThat(trixie.id()).isNotEqualTo(bullseye.id());
        }

        @Test
        void should_leave_the_maintainer_scripts_to_the_first_boot() throws IOException {
            assertUnpackedForTheFirstBoot(trixie);
        }
    }
}
