package dev.v86unit.images.internal.debian;

import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.testing.FakeArchive;
import dev.v86unit.images.testing.FakeDeb;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Downloaded .deb files are checked against the index")
class DebCacheTest {

    private static final URI MIRROR = URI.create("http://mirror.invalid/debian");
    private static final String FILENAME = "pool/main/s/seabios/seabios_1.16.2-1_all.deb";
    private static final URI DEB_URI = URI.create(MIRROR + "/" + FILENAME);

    @TempDir
    Path dir;

    private final byte[] deb = FakeDeb.of(Map.of("usr/share/seabios/bios.bin", new byte[1024]));
    private final List<URI> requests = new ArrayList<>();
    private byte[] served;
    private PackageEntry entry;
    private DebCache cache;

    @BeforeEach
    void setUp() {
        served = deb;
        entry = new PackageEntry("seabios", "1.16.2-1", "all", FILENAME, FakeArchive.sha256(deb), deb.length,
                "", "", "", "optional", false, "");
        HttpSource http = uri -> {
            requests.add(uri);
            return new ByteArrayInputStream(served);
        };
        VerifiedDownloader downloader = new VerifiedDownloader(http);
        cache = new DebCache(dir, new DebianArchive(MIRROR, downloader, null), downloader);
    }

    @Test
    void should_download_once_and_then_reuse_the_verified_file() throws IOException {
        Path first = cache.get(entry);
        Path second = cache.get(entry);

        assertThat(first).isEqualTo(dir.resolve("seabios_1.16.2-1_all.deb")).isEqualTo(second);
        assertThat(Files.readAllBytes(first)).isEqualTo(deb);
        assertThat(requests).containsExactly(DEB_URI);
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers).as("no temporary files left").containsExactly(first);
        }
    }

    @Test
    void should_reject_a_corrupted_download_naming_package_url_and_both_hashes() {
        byte[] corrupted = deb.clone();
        corrupted[corrupted.length / 2] ^= 0x40;
        served = corrupted;

        assertThatThrownBy(() -> cache.get(entry))
                .isInstanceOf(ImageBuildException.class)
                .hasMessage("seabios 1.16.2-1: sha256 mismatch for " + DEB_URI + ": expected " + entry.sha256()
                        + ", actual " + FakeArchive.sha256(corrupted));
        assertThat(dir.resolve("seabios_1.16.2-1_all.deb")).doesNotExist();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void should_reject_a_download_of_the_wrong_size() {
        served = "short".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> cache.get(entry))
                .isInstanceOf(ImageBuildException.class)
                .hasMessage("seabios 1.16.2-1: size mismatch for " + DEB_URI + ": expected " + deb.length
                        + " bytes, received 5");
    }

    @Test
    void should_delete_a_damaged_cached_file_and_download_it_again() throws IOException {
        Path cached = dir.resolve("seabios_1.16.2-1_all.deb");
        byte[] damaged = deb.clone();
        damaged[10] ^= 1;
        Files.write(cached, damaged);

        assertThat(cache.get(entry)).isEqualTo(cached);
        assertThat(Files.readAllBytes(cached)).isEqualTo(deb);
        assertThat(requests).containsExactly(DEB_URI);
    }

    @Test
    void should_fail_when_the_cached_file_is_damaged_and_the_mirror_serves_damage_too() throws IOException {
        Path cached = dir.resolve("seabios_1.16.2-1_all.deb");
        byte[] damaged = deb.clone();
        damaged[10] ^= 1;
        Files.write(cached, damaged);
        served = damaged;

        assertThatThrownBy(() -> cache.get(entry))
                .isInstanceOf(ImageBuildException.class)
                .hasMessageContaining("expected " + entry.sha256())
                .hasMessageContaining("actual " + FakeArchive.sha256(damaged));
        assertThat(requests).as("downloaded again exactly once").hasSize(1);
        assertThat(cached).doesNotExist();
    }

    @Test
    void should_not_retry_a_404_and_name_the_url() {
        HttpSource notFound = uri -> {
            requests.add(uri);
            throw new HttpStatusException(uri, 404);
        };
        VerifiedDownloader downloader = new VerifiedDownloader(notFound);
        DebCache missing = new DebCache(dir, new DebianArchive(MIRROR, downloader, null), downloader);

        assertThatThrownBy(() -> missing.get(entry))
                .isInstanceOf(ImageBuildException.class)
                .hasMessage("Cannot download " + DEB_URI + ": " + new HttpStatusException(DEB_URI, 404));
        assertThat(requests).hasSize(1);
    }

    @Test
    void should_retry_a_transient_network_failure() throws IOException {
        HttpSource flaky = uri -> {
            requests.add(uri);
            if (requests.size() == 1) {
                throw new IOException("Connection reset");
            }
            return new ByteArrayInputStream(deb);
        };
        VerifiedDownloader downloader = new VerifiedDownloader(flaky);
        DebCache retrying = new DebCache(dir, new DebianArchive(MIRROR, downloader, null), downloader);

        assertThat(Files.readAllBytes(retrying.get(entry))).isEqualTo(deb);
        assertThat(requests).hasSize(2);
    }
}
