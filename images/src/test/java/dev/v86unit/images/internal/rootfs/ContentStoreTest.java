package dev.v86unit.images.internal.rootfs;

import dev.v86unit.images.internal.io.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ContentStoreTest {

    @TempDir
    Path dir;

    @Test
    void should_name_each_file_by_its_sha256_and_store_identical_content_once() throws IOException {
        ContentStore store = new ContentStore(dir.resolve("rootfs-store"));
        byte[] content = "hello".getBytes(StandardCharsets.UTF_8);

        String first = store.put(content);
        String second = store.put(content.clone());

        assertThat(first).isEqualTo(second).isEqualTo(Sha256.hex(content));
        try (var files = Files.list(store.dir())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(first);
        }
        assertThat(store.filesWritten()).isEqualTo(1);
        assertThat(store.read(first)).isEqualTo(content);
    }

    @Test
    void should_not_rewrite_an_intact_file_but_replace_a_damaged_one() throws IOException {
        byte[] content = "content".getBytes(StandardCharsets.UTF_8);
        String sha = new ContentStore(dir).put(content);
        Files.write(dir.resolve(sha), "CONTENT".getBytes(StandardCharsets.UTF_8));

        ContentStore next = new ContentStore(dir);
        next.put(content);

        assertThat(dir.resolve(sha)).hasBinaryContent(content);
        assertThat(next.filesWritten()).isEqualTo(1);
        ContentStore third = new ContentStore(dir);
        third.put(content);
        assertThat(third.filesWritten()).isZero();
    }

    @Test
    void should_stream_large_files_through_a_temporary_file() throws IOException {
        byte[] large = new byte[17 * 1024 * 1024];
        new Random(1).nextBytes(large);
        ContentStore store = new ContentStore(dir);

        String sha = store.put(new ByteArrayInputStream(large), large.length);

        assertThat(sha).isEqualTo(Sha256.hex(large));
        assertThat(dir.resolve(sha)).hasSize(large.length);
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary files left").hasSize(1);
        }
    }

    @Test
    void should_check_presence_and_size_without_hashing() throws IOException {
        ContentStore store = new ContentStore(dir);
        String sha = store.put("abc".getBytes(StandardCharsets.UTF_8));

        assertThat(store.problemWith(sha, 3)).isNull();
        assertThat(store.problemWith(sha, 4)).isEqualTo(dir.resolve(sha) + " has 3 bytes, expected 4");
        assertThat(store.problemWith("0".repeat(64), 1)).startsWith(dir.resolve("0".repeat(64)) + " is missing");
        assertThat(store.problemWith("../etc/passwd", 1)).isEqualTo("'../etc/passwd' is not a sha256 file name");
    }
}
