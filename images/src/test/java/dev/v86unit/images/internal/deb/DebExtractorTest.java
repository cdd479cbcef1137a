package dev.v86unit.images.internal.deb;

import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.testing.FakeDeb;
import dev.v86unit.images.testing.FakeDeb.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DebExtractorTest {

    @TempDir
    Path dir;

    private final Map<String, byte[]> files = Map.of(
            "bin/busybox", "busybox binary".getBytes(StandardCharsets.US_ASCII),
            "usr/share/doc/busybox-static/copyright", "GPL".getBytes(StandardCharsets.US_ASCII),
            "usr/share/seabios/bios.bin", new byte[70_000]);

    private Path write(byte[] deb) throws IOException {
        return Files.write(dir.resolve("test.deb"), deb);
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"XZ", "GZ", "NONE"})
    void should_extract_the_wanted_regular_files(Compression compression) throws IOException {
        Path deb = write(FakeDeb.of(files, compression));

        Map<String, byte[]> extracted = DebExtractor.extract(deb, path -> !path.startsWith("usr/share/doc/"));

        assertThat(extracted).containsOnlyKeys("bin/busybox", "usr/share/seabios/bios.bin");
        assertThat(extracted.get("bin/busybox")).isEqualTo(files.get("bin/busybox"));
        assertThat(extracted.get("usr/share/seabios/bios.bin")).isEqualTo(files.get("usr/share/seabios/bios.bin"));
    }

    @Test
    void should_skip_directories_and_symlinks() throws IOException {
        Path deb = write(FakeDeb.of(files));

        assertThat(DebExtractor.extract(deb, path -> true).keySet())
                .containsExactlyInAnyOrderElementsOf(files.keySet())
                .doesNotContain("usr/bin/link", "usr/", "bin");
    }

    @Test
    void should_unpack_every_member_with_its_metadata_and_read_the_wanted_control_files() throws IOException {
        Path deb = write(FakeDeb.builder().mtime(1_663_574_687L)
                .dir("bin", 0755)
                .file("bin/bunzip2", 0755, 0, 0, "bzip2".getBytes(StandardCharsets.US_ASCII))
                .hardlink("bin/bzcat", "bin/bunzip2")
                .symlink("bin/bzless", "bzmore")
                .file("usr/sbin/unix_chkpwd", 02755, 0, 42, new byte[3])
                .fifo("dev/fifo")
                .control("postinst", "update-alternatives ...\n")
                .control("md5sums", "ignored")
                .build());
        List<DebEntry> entries = new ArrayList<>();
        List<String> contents = new ArrayList<>();

        Map<String, byte[]> control = DebExtractor.unpack(deb, Set.of("control", "postinst"), (entry, content) -> {
            entries.add(entry);
            contents.add(new String(content.readAllBytes(), StandardCharsets.US_ASCII));
        });

        assertThat(control).containsOnlyKeys("control", "postinst");
        assertThat(control.get("postinst")).asString().isEqualTo("update-alternatives ...\n");
        assertThat(entries).containsExactly(
                new DebEntry("bin", DebEntry.Type.DIRECTORY, 0755, 1_663_574_687L, 0, 0, 0, ""),
                new DebEntry("bin/bunzip2", DebEntry.Type.FILE, 0755, 1_663_574_687L, 0, 0, 5, ""),
                new DebEntry("bin/bzcat", DebEntry.Type.HARDLINK, 0644, 1_663_574_687L, 0, 0, 0, "bin/bunzip2"),
                new DebEntry("bin/bzless", DebEntry.Type.SYMLINK, 0777, 1_663_574_687L, 0, 0, 0, "bzmore"),
                new DebEntry("usr/sbin/unix_chkpwd", DebEntry.Type.FILE, 02755, 1_663_574_687L, 0, 42, 3, ""),
                new DebEntry("dev/fifo", DebEntry.Type.OTHER, 0644, 1_663_574_687L, 0, 0, 0, ""));
        assertThat(contents).containsExactly("", "bzip2", "", "", "\0\0\0", "");
    }

    @Test
    void should_name_an_unsupported_compression() throws IOException {
        Path deb = write(FakeDeb.of(files, Compression.ZST));

        assertThatThrownBy(() -> DebExtractor.extract(deb, path -> true))
                .isInstanceOf(ImageBuildException.class)
                .hasMessageContaining("data.tar.zst")
                .hasMessageContaining("supported: .tar.xz, .tar.gz, .tar");
    }

    @Test
    void should_reject_a_file_that_is_not_a_deb() throws IOException {
        Path notDeb = Files.writeString(dir.resolve("index.html"), "<html>Not Found</html>");

        assertThatThrownBy(() -> DebExtractor.extract(notDeb, path -> true))
                .isInstanceOf(ImageBuildException.class)
                .hasMessageContaining(notDeb.toString());
    }

    @Test
    void should_normalize_tar_names() {
        assertThat(DebExtractor.normalize("./boot/vmlinuz-6.1.0-50-686")).isEqualTo("boot/vmlinuz-6.1.0-50-686");
        assertThat(DebExtractor.normalize("/bin/busybox")).isEqualTo("bin/busybox");
        assertThat(DebExtractor.normalize("bin/busybox")).isEqualTo("bin/busybox");
    }
}
