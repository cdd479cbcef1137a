package dev.v86unit.images.internal.debian;

import dev.v86unit.images.ImageBuildException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReleaseFileTest {

    private static final String RELEASE = """
            Origin: Debian
            Suite: oldstable
            Codename: bookworm
            Date: Sat, 11 Jul 2026 10:16:37 UTC
            Acquire-By-Hash: yes
            MD5Sum:
             0f420d159a5c49a2844b23557e6e5a47  4231936 main/binary-all/Packages.xz
            SHA256:
             bc442eb8e8251796e139748da1872c050e2d1e93f55655100357f2e68364caf5 22526615 main/binary-all/Packages
             900739f3ad35b689d23f4a97ee2dc7943bebb3763c7c41f9a03072d639444e4d  8681800 main/binary-i386/Packages.xz
            """;

    @Test
    void should_read_names_date_and_the_sha256_section() {
        ReleaseFile release = ReleaseFile.parse(RELEASE);

        assertThat(release.codename()).isEqualTo("bookworm");
        assertThat(release.suite()).isEqualTo("oldstable");
        assertThat(release.date()).isEqualTo("Sat, 11 Jul 2026 10:16:37 UTC");
        assertThat(release.acquireByHash()).isTrue();
        assertThat(release.sha256()).containsOnlyKeys("main/binary-all/Packages", "main/binary-i386/Packages.xz");
        assertThat(release.file("main/binary-i386/Packages.xz")).contains(new ReleaseFile.IndexFile(
                "main/binary-i386/Packages.xz", "900739f3ad35b689d23f4a97ee2dc7943bebb3763c7c41f9a03072d639444e4d",
                8681800));
        assertThat(release.file("main/binary-all/Packages.xz")).as("listed under MD5Sum only").isEmpty();
    }

    @Test
    void should_describe_its_codename_and_its_suite_but_nothing_else() {
        ReleaseFile release = ReleaseFile.parse(RELEASE);

        assertThat(release.describes("bookworm")).isTrue();
        assertThat(release.describes("oldstable")).isTrue();
        assertThat(release.describes("trixie")).isFalse();
    }

    @Test
    void should_reject_a_release_without_sha256() {
        assertThatThrownBy(() -> ReleaseFile.parse("Origin: Debian\nCodename: bookworm\n"))
                .isInstanceOf(ImageBuildException.class)
                .hasMessage("The Release file has no SHA256 section");
    }

    @Test
    void should_reject_a_malformed_checksum_line() {
        assertThatThrownBy(() -> ReleaseFile.parse("Codename: bookworm\nSHA256:\n xyz 12 main/Packages\n"))
                .isInstanceOf(ImageBuildException.class)
                .hasMessageContaining("xyz 12 main/Packages");
    }
}
