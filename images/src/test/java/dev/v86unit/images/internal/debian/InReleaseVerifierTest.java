package dev.v86unit.images.internal.debian;

import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.testing.TestSigner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Uses bookworm's real InRelease of 11 July 2026 (test resource), signed by the bookworm and trixie
 * automatic archive keys (RSA) and the bookworm stable release key (Ed25519).
 */
@DisplayName("InRelease signature verification")
class InReleaseVerifierTest {

    private static final String SOURCE = "http://deb.debian.org/debian/dists/bookworm/InRelease";
    private static byte[] inRelease;
    private final InReleaseVerifier verifier = new InReleaseVerifier(DebianKeyring.builtIn());

    @BeforeAll
    static void readResource() throws IOException {
        try (InputStream in = InReleaseVerifierTest.class.getResourceAsStream("bookworm-InRelease")) {
            inRelease = in.readAllBytes();
        }
    }

    @Nested
    class Accepts {

        @Test
        void should_return_the_signed_text_of_debians_real_inrelease() {
            String text = verifier.verify(inRelease, SOURCE);

            assertThat(text).startsWith("Origin: Debian\nLabel: Debian\nSuite: oldstable\n")
                    .doesNotContain("PGP");
            ReleaseFile release = ReleaseFile.parse(text);
            assertThat(release.codename()).isEqualTo("bookworm");
            assertThat(release.file("main/binary-i386/Packages.xz").orElseThrow().sha256())
                    .isEqualTo("900739f3ad35b689d23f4a97ee2dc7943bebb3763c7c41f9a03072d639444e4d");
        }

        @Test
        void should_ignore_trailing_whitespace_as_rfc4880_says() {
            String withBlanks = new String(inRelease, StandardCharsets.UTF_8)
                    .replace("Codename: bookworm\n", "Codename: bookworm  \t\n");

            assertThat(verifier.verify(withBlanks.getBytes(StandardCharsets.UTF_8), SOURCE))
                    .contains("Codename: bookworm\n");
        }

        @Test
        void should_accept_crlf_line_endings() {
            String crlf = new String(inRelease, StandardCharsets.UTF_8).replace("\n", "\r\n");

            assertThat(verifier.verify(crlf.getBytes(StandardCharsets.UTF_8), SOURCE)).contains("Codename: bookworm\n");
        }

        @Test
        void should_undo_dash_escaping_and_verify_a_key_of_our_own() {
            TestSigner signer = new TestSigner();
            byte[] signed = signer.clearSign("Codename: test\n-----not armor\nDate: now\n");
            InReleaseVerifier ours = new InReleaseVerifier(DebianKeyring.of(List.of(signer.publicKeyring())));

            assertThat(new String(signed, StandardCharsets.UTF_8)).contains("\n- -----not armor\n");
            assertThat(ours.verify(signed, "test")).isEqualTo("Codename: test\n-----not armor\nDate: now\n");
        }
    }

    @Nested
    class Rejects {

        @Test
        void should_reject_one_flipped_byte_in_the_signed_text() {
            byte[] tampered = inRelease.clone();
            int at = new String(tampered, StandardCharsets.US_ASCII).indexOf("main/binary-i386/Packages.xz") - 3;
            tampered[at] ^= 0x01; // one bit of the size of Packages.xz in the SHA256 section

            assertThatThrownBy(() -> verifier.verify(tampered, SOURCE))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessageStartingWith("BAD signature on " + SOURCE + " by Debian archive key ")
                    .hasMessageContaining("does not match the signed text");
        }

        @Test
        void should_reject_a_changed_header_line() {
            String tampered = new String(inRelease, StandardCharsets.UTF_8).replace("Suite: oldstable", "Suite: stable");

            assertThatThrownBy(() -> verifier.verify(tampered.getBytes(StandardCharsets.UTF_8), SOURCE))
                    .isInstanceOf(ImageBuildException.class).hasMessageStartingWith("BAD signature");
        }

        @Test
        void should_reject_a_text_signed_only_by_unknown_keys() {
            InReleaseVerifier strangers = new InReleaseVerifier(DebianKeyring.of(List.of(
                    new TestSigner().publicKeyring())));

            assertThatThrownBy(() -> strangers.verify(inRelease, SOURCE))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessageContaining("is not signed by any of Debian's archive keys")
                    .hasMessageContaining("6ED0E7B82643E131");
        }

        @Test
        void should_reject_a_file_without_signature() {
            byte[] plain = "Origin: Debian\nCodename: bookworm\n".getBytes(StandardCharsets.US_ASCII);

            assertThatThrownBy(() -> verifier.verify(plain, SOURCE))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessageContaining(SOURCE);
        }

        @Test
        void should_reject_a_cut_off_signature() {
            String text = new String(inRelease, StandardCharsets.UTF_8);
            byte[] cut = text.substring(0, text.indexOf("-----BEGIN PGP SIGNATURE-----") + 40)
                    .getBytes(StandardCharsets.UTF_8);

            assertThatThrownBy(() -> verifier.verify(cut, SOURCE)).isInstanceOf(ImageBuildException.class);
        }
    }
}
