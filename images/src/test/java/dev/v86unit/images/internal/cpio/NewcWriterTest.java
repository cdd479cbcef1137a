package dev.v86unit.images.internal.cpio;

import dev.v86unit.images.testing.NewcReader;
import dev.v86unit.images.testing.NewcReader.Entry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("The newc cpio writer")
class NewcWriterTest {

    private static final List<CpioEntry> ENTRIES = List.of(
            CpioEntry.file("/init", 0755, "#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII)),
            CpioEntry.directory("bin", 0755),
            CpioEntry.file("bin/busybox", 0755, new byte[] {1, 2, 3, 4, 5}),
            CpioEntry.symlink("bin/sh", "busybox"),
            CpioEntry.directory("dev", 0755),
            CpioEntry.charDevice("dev/console", 0600, 5, 1),
            CpioEntry.directory("tmp", 01777),
            CpioEntry.directory("etc", 0755),
            CpioEntry.file("etc/hostname", 0644, "v86unit\n".getBytes(StandardCharsets.US_ASCII)));

    @Nested
    class Format {

        private final byte[] archive = NewcWriter.write(ENTRIES);
        private final Map<String, Entry> entries = NewcReader.byName(archive);

        @Test
        void should_be_readable_with_aligned_headers_zero_padding_and_a_final_trailer() {
            // NewcReader checks the magic, 4-byte alignment, zero padding and that TRAILER!!! ends it.
            assertThat(NewcReader.read(archive)).hasSize(ENTRIES.size());
            assertThat(archive.length % 4).isZero();
            // 110-byte header + "TRAILER!!!" + NUL = 121 bytes, padded with three zeros to 124
            String tail = new String(archive, archive.length - 14, 14, StandardCharsets.US_ASCII);
            assertThat(tail).isEqualTo("TRAILER!!!\0\0\0\0");
        }

        @Test
        void should_sort_entries_so_that_parents_come_first() {
            assertThat(NewcReader.read(archive)).extracting(Entry::name).containsExactly(
                    "bin", "bin/busybox", "bin/sh", "dev", "dev/console", "etc", "etc/hostname", "init", "tmp");
        }

        @Test
        void should_write_types_permissions_and_contents() {
            assertThat(entries.get("bin").type()).isEqualTo(0040000);
            assertThat(entries.get("tmp").permissions()).isEqualTo(01777);
            assertThat(entries.get("init").mode()).isEqualTo(0100755);
            assertThat(entries.get("init").text()).isEqualTo("#!/bin/sh\n");
            assertThat(entries.get("bin/busybox").data()).containsExactly(1, 2, 3, 4, 5);
            assertThat(entries.get("bin/sh").mode()).isEqualTo(0120777);
            assertThat(entries.get("bin/sh").text()).isEqualTo("busybox");
            Entry console = entries.get("dev/console");
            assertThat(console.mode()).isEqualTo(0020600);
            assertThat(console.rdevMajor()).isEqualTo(5);
            assertThat(console.rdevMinor()).isEqualTo(1);
            assertThat(console.data()).isEmpty();
        }

        @Test
        void should_use_fixed_owner_mtime_and_counted_inodes() {
            List<Entry> read = NewcReader.read(archive);
            assertThat(read).allSatisfy(e -> {
                assertThat(e.uid()).isZero();
                assertThat(e.gid()).isZero();
                assertThat(e.mtime()).isZero();
            });
            assertThat(read).extracting(Entry::inode).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(entries.get("etc/hostname").nlink()).isEqualTo(1);
            assertThat(entries.get("etc").nlink()).isEqualTo(2);
        }

        @Test
        void should_give_the_same_bytes_whatever_the_input_order() {
            List<CpioEntry> shuffled = new ArrayList<>(ENTRIES);
            Collections.reverse(shuffled);

            assertThat(NewcWriter.write(shuffled)).isEqualTo(archive);
        }

        @Test
        void should_be_listed_by_gnu_cpio_if_installed(@TempDir Path dir) throws Exception {
            Path cpio = Path.of("/usr/bin/cpio");
            Assumptions.assumeTrue(Files.isExecutable(cpio), "cpio is not installed");
            Path file = Files.write(dir.resolve("initrd.cpio"), archive);

            Process process = new ProcessBuilder(cpio.toString(), "-t", "--quiet")
                    .redirectInput(file.toFile()).redirectErrorStream(true).start();
            String listing = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(process.exitValue()).as(listing).isZero();
            assertThat(listing.lines()).containsExactly(
                    "bin", "bin/busybox", "bin/sh", "dev", "dev/console", "etc", "etc/hostname", "init", "tmp");
        }
    }

    @Nested
    class Rejects {

        @Test
        void should_reject_an_entry_without_its_parent_directory() {
            List<CpioEntry> orphan = List.of(CpioEntry.file("lib/modules/9p.ko", 0644, new byte[0]));

            assertThatThrownBy(() -> NewcWriter.write(orphan))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Entry lib/modules/9p.ko has no parent directory entry lib/modules");
        }

        @Test
        void should_reject_duplicate_paths() {
            List<CpioEntry> twice = List.of(CpioEntry.directory("bin", 0755), CpioEntry.directory("/bin/", 0700));

            assertThatThrownBy(() -> NewcWriter.write(twice)).hasMessage("Duplicate archive entry bin");
        }

        @Test
        void should_reject_paths_that_climb_out() {
            assertThatThrownBy(() -> CpioEntry.directory("etc/../..", 0755))
                    .hasMessage("Invalid archive path 'etc/../..'");
        }
    }
}
