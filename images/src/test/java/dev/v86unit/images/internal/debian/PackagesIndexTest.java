package dev.v86unit.images.internal.debian;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Deb822 stanzas and the Packages index")
class PackagesIndexTest {

    private static final String PACKAGES = """
            Package: linux-image-6.1.0-47-686-unsigned
            Source: linux
            Version: 6.1.170-1
            Architecture: i386
            Depends: kmod, linux-base (>= 4.3~), initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool
            Description: Linux 6.1 for older PCs
             The Linux kernel 6.1 and modules for use on PCs with one or more
             processors.
            Filename: pool/main/l/linux/linux-image-6.1.0-47-686-unsigned_6.1.170-1_i386.deb
            Size: 51900000
            SHA256: 1111111111111111111111111111111111111111111111111111111111111111

            Package: linux-image-6.1.0-50-686-unsigned
            Source: linux
            Version: 6.1.176-1
            Architecture: i386
            Depends: kmod, linux-base (>= 4.3~)
            Filename: pool/main/l/linux/linux-image-6.1.0-50-686-unsigned_6.1.176-1_i386.deb
            Size: 51911268
            SHA256: 66DA497253E9515B8101B7C94CF06A44574E63891CB29A323CF597DE069E81D0

            Package: linux-image-6.1.0-50-686-pae-unsigned
            Version: 6.1.176-1
            Architecture: i386
            Filename: pool/main/l/linux/linux-image-6.1.0-50-686-pae-unsigned_6.1.176-1_i386.deb
            Size: 1
            SHA256: 2222222222222222222222222222222222222222222222222222222222222222

            package: busybox-static
            Version: 1:1.35.0-4+deb12u1+b1
            Architecture: i386
            Provides: busybox
            Priority: optional
            Pre-Depends: libc6 (>= 2.2)
            Filename: pool/main/b/busybox/busybox-static_1.35.0-4+deb12u1+b1_i386.deb
            Size: 958344
            SHA256: 725ef9e6fbac4ab79b353165b05005e8c140d6e42177ebbc202ff1e13ded8b7c

            Package: busybox-static
            Version: 1:1.35.0-4
            Architecture: i386
            Filename: pool/main/b/busybox/busybox-static_1.35.0-4_i386.deb
            Size: 958000
            SHA256: 3333333333333333333333333333333333333333333333333333333333333333

            Package: seabios
            Version: 1.16.2-1
            Architecture: all
            Filename: pool/main/s/seabios/seabios_1.16.2-1_all.deb
            Size: 162656
            SHA256: 08e5b3f761379f17a6051731cafa03e97686049e2cc1b8bdccc5a910646e2d8e
            """;

    private static final Pattern KERNEL = Pattern.compile("linux-image-(\\d+\\.\\d+\\.\\d+-\\d+)-686-unsigned");

    private static PackagesIndex parse(String text) {
        return PackagesIndex.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), name -> true);
    }

    @Test
    void should_parse_every_field_we_use() {
        PackageEntry busybox = parse(PACKAGES).requireNewest("busybox-static");

        assertThat(busybox).isEqualTo(new PackageEntry("busybox-static", "1:1.35.0-4+deb12u1+b1", "i386",
                "pool/main/b/busybox/busybox-static_1.35.0-4+deb12u1+b1_i386.deb",
                "725ef9e6fbac4ab79b353165b05005e8c140d6e42177ebbc202ff1e13ded8b7c", 958344, "", "libc6 (>= 2.2)",
                "busybox", "optional", false, ""));
        assertThat(busybox.basename()).isEqualTo("busybox-static_1.35.0-4+deb12u1+b1_i386.deb");
    }

    @Test
    void should_keep_multi_line_fields_and_lowercase_the_sha256() {
        List<Deb822.Stanza> stanzas = Deb822.parse(PACKAGES);

        assertThat(stanzas).hasSize(6);
        assertThat(stanzas.get(0).require("description")).isEqualTo(
                "Linux 6.1 for older PCs\nThe Linux kernel 6.1 and modules for use on PCs with one or more\nprocessors.");
        assertThat(parse(PACKAGES).requireNewest("linux-image-6.1.0-50-686-unsigned").sha256())
                .isEqualTo("66da497253e9515b8101b7c94cf06a44574e63891cb29a323cf597de069e81d0");
    }

    @Test
    void should_choose_the_newest_version_of_a_package_listed_twice() {
        assertThat(parse(PACKAGES).requireNewest("busybox-static").version()).isEqualTo("1:1.35.0-4+deb12u1+b1");
    }

    @Test
    void should_choose_the_newest_kernel_abi_and_not_the_pae_flavour() {
        PackageEntry kernel = parse(PACKAGES).newestMatching(KERNEL).orElseThrow();

        assertThat(kernel.name()).isEqualTo("linux-image-6.1.0-50-686-unsigned");
    }

    @Test
    void should_break_version_ties_by_abi_as_a_debian_version() {
        String text = PACKAGES.replace("6.1.176-1", "6.1.170-1").replace("6.1.0-47", "6.1.0-9");
        // Now both non-PAE kernels have version 6.1.170-1; "6.1.0-50" > "6.1.0-9" only numerically.
        assertThat(parse(text).newestMatching(KERNEL).orElseThrow().name())
                .isEqualTo("linux-image-6.1.0-50-686-unsigned");
    }

    @Test
    void should_keep_only_the_wanted_packages() {
        PackagesIndex index = PackagesIndex.parse(new ByteArrayInputStream(PACKAGES.getBytes(StandardCharsets.UTF_8)),
                "seabios"::equals);

        assertThat(index.entries()).extracting(PackageEntry::name).containsExactly("seabios");
        assertThat(index.newest("busybox-static")).isEmpty();
    }

    @Test
    void should_name_the_missing_package() {
        assertThatThrownBy(() -> parse(PACKAGES).requireNewest("qemu-system-x86"))
                .hasMessage("Package 'qemu-system-x86' is not in the Packages index");
    }

    @Test
    void should_name_the_package_whose_stanza_lacks_a_field() {
        String broken = "Package: broken\nVersion: 1.0\nFilename: pool/b.deb\nSize: 1\n";

        assertThatThrownBy(() -> parse(broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Missing field 'SHA256' in stanza of package broken");
    }

    @Test
    void should_reject_a_line_that_is_no_field() {
        assertThatThrownBy(() -> Deb822.parse("Package: x\nthis is not a field\n"))
                .hasMessageContaining("Line 2").hasMessageContaining("this is not a field");
    }
}
