package dev.v86unit.internal.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HostTree: what the guest hands over lands under the root, and nothing is ever done through a symlink there. */
class HostTreeTest {

    @TempDir
    Path dir;
    Path out;
    Path victimDir;
    Path victimFile;
    FileTime victimTime = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

    @BeforeEach
    void victims() throws IOException {
        out = dir.resolve("out");
        victimDir = Files.createDirectories(dir.resolve("victim-dir"));
        victimFile = Files.writeString(dir.resolve("victim.txt"), "precious\n");
        Files.setPosixFilePermissions(victimFile, PosixFilePermissions.fromString("rw-------"));
        Files.setLastModifiedTime(victimFile, victimTime);
    }

    /** As the Node host writes a file: a fresh temporary file beside the slot, renamed onto it. */
    static void write(Path slot, String content) throws IOException {
        Path temp = Files.createTempFile(slot.getParent(), ".v86unit-", ".tmp");
        Files.writeString(temp, content);
        Files.move(temp, slot, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    void assertVictimsUntouched() throws IOException {
        assertThat(victimDir).isEmptyDirectory();
        assertThat(victimFile).hasContent("precious");
        assertThat(Files.getLastModifiedTime(victimFile)).isEqualTo(victimTime);
        assertThat(Files.getPosixFilePermissions(victimFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Nested
    class Ordinary_trees {

        @Test
        void folders_files_and_symlinks_land_with_their_modes() throws IOException {
            HostTree tree = new HostTree(out);
            tree.folder("", 0755);
            tree.folder("sub", 0700);
            Path tool = tree.fileSlot("sub/tool");
            write(tool, "#!/bin/sh\n");
            HostTree.setMode(tool, 0750);
            tree.symlink("link", "sub/tool");
            tree.folder("empty", 0755);
            tree.finish();

            assertThat(out.resolve("sub/tool")).hasContent("#!/bin/sh");
            assertThat(Files.getPosixFilePermissions(out.resolve("sub/tool"))).isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
            assertThat(Files.getPosixFilePermissions(out.resolve("sub"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(Files.readSymbolicLink(out.resolve("link"))).isEqualTo(Path.of("sub/tool"));
            assertThat(out.resolve("empty")).isEmptyDirectory();
        }

        @Test
        void a_read_only_folder_is_filled_before_its_mode_is_set() throws IOException {
            HostTree tree = new HostTree(out);
            tree.folder("", 0555);
            tree.folder("ro", 0555);
            write(tree.fileSlot("ro/file"), "in\n");
            tree.finish();
            assertThat(out.resolve("ro/file")).hasContent("in");
            assertThat(Files.getPosixFilePermissions(out.resolve("ro"))).isEqualTo(PosixFilePermissions.fromString("r-xr-xr-x"));
            HostTree.setMode(out.resolve("ro"), 0755); // so that @TempDir can clean up
            HostTree.setMode(out, 0755);
        }

        @Test
        void a_single_file_becomes_the_root_and_its_parents_are_created() throws IOException {
            HostTree tree = new HostTree(dir.resolve("deep/er/report.csv"));
            write(tree.fileSlot(""), "a,b\n");
            assertThat(dir.resolve("deep/er/report.csv")).hasContent("a,b");
        }

        @Test
        void an_existing_folder_is_merged_and_an_existing_file_replaced() throws IOException {
            Files.createDirectories(out.resolve("keep"));
            Files.writeString(out.resolve("keep/old.txt"), "old\n");
            Files.writeString(out.resolve("f.txt"), "old\n");
            HostTree tree = new HostTree(out);
            tree.folder("", 0755);
            tree.folder("keep", 0755);
            write(tree.fileSlot("f.txt"), "new\n");
            tree.finish();
            assertThat(out.resolve("keep/old.txt")).hasContent("old");
            assertThat(out.resolve("f.txt")).hasContent("new");
        }

        @Test
        void symlink_targets_are_kept_as_they_are_even_absolute_or_climbing() throws IOException {
            HostTree tree = new HostTree(out);
            tree.folder("", 0755);
            tree.symlink("abs", victimFile.toString());
            tree.symlink("up", "../victim.txt");
            tree.symlink("dangling", "no/such/file");
            assertThat(Files.readSymbolicLink(out.resolve("abs"))).isEqualTo(victimFile);
            assertThat(Files.readSymbolicLink(out.resolve("up"))).isEqualTo(Path.of("../victim.txt"));
            assertThat(Files.readSymbolicLink(out.resolve("dangling"))).isEqualTo(Path.of("no/such/file"));
            assertVictimsUntouched();
        }

        @Test
        void names_with_control_characters_and_spaces_are_plain_names() throws IOException {
            HostTree tree = new HostTree(out);
            tree.folder("", 0755);
            write(tree.fileSlot("a\nb\tc d"), "x\n");
            assertThat(out.resolve("a\nb\tc d")).hasContent("x");
        }
    }

    @Nested
    class A_symlink_where_an_entry_must_go_is_replaced_never_followed {

        @Test
        void a_folder_symlink_becomes_a_real_folder_and_its_target_stays_empty() throws IOException {
            Files.createDirectories(out);
            Files.createSymbolicLink(out.resolve("l"), victimDir);
            HostTree tree = new HostTree(out);
            tree.folder("", 0755);
            tree.folder("l", 0755);
            write(tree.fileSlot("l/x"), "pwned\n");
            tree.finish();
            assertThat(out.resolve("l")).isDirectory().isNotEqualTo(victimDir);
            assertThat(Files.isSymbolicLink(out.resolve("l"))).isFalse();
            assertThat(out.resolve("l/x")).hasContent("pwned");
            assertVictimsUntouched();
        }

        @Test
        void a_file_symlink_is_replaced_by_the_file_and_the_victim_keeps_content_mode_and_time() throws IOException {
            Files.createDirectories(out);
            Files.createSymbolicLink(out.resolve("p"), victimFile);
            HostTree tree = new HostTree(out);
            tree.folder("", 0755);
            Path slot = tree.fileSlot("p");
            write(slot, "guest content\n");
            HostTree.setMode(slot, 0777);
            assertThat(Files.isSymbolicLink(out.resolve("p"))).isFalse();
            assertThat(out.resolve("p")).isRegularFile().hasContent("guest content");
            assertVictimsUntouched();
        }

        @Test
        void a_symlink_is_replaced_by_a_symlink() throws IOException {
            Files.createDirectories(out);
            Files.createSymbolicLink(out.resolve("s"), victimDir);
            HostTree tree = new HostTree(out);
            tree.folder("", 0755);
            tree.symlink("s", "elsewhere");
            assertThat(Files.readSymbolicLink(out.resolve("s"))).isEqualTo(Path.of("elsewhere"));
            assertVictimsUntouched();
        }

        @Test
        void a_dangling_symlink_where_a_folder_must_go_is_replaced() throws IOException {
            Files.createDirectories(out);
            Path nowhere = dir.resolve("nowhere");
            Files.createSymbolicLink(out.resolve("d"), nowhere);
            HostTree tree = new HostTree(out);
            tree.folder("", 0755);
            tree.folder("d", 0755);
            assertThat(out.resolve("d")).isDirectory();
            assertThat(nowhere).doesNotExist();
        }

        @Test
        void the_root_itself_when_it_is_a_symlink() throws IOException {
            Files.createSymbolicLink(out, victimDir);
            HostTree tree = new HostTree(out);
            tree.folder("", 0700);
            write(tree.fileSlot("x"), "x\n");
            tree.finish();
            assertThat(Files.isSymbolicLink(out)).isFalse();
            assertThat(out.resolve("x")).hasContent("x");
            assertVictimsUntouched();
        }

        @Test
        void a_root_file_over_a_file_symlink() throws IOException {
            Files.createDirectories(out);
            Path target = out.resolve("report.csv");
            Files.createSymbolicLink(target, victimFile);
            HostTree tree = new HostTree(target);
            write(tree.fileSlot(""), "a,b\n");
            HostTree.setMode(target, 0666);
            assertThat(Files.isSymbolicLink(target)).isFalse();
            assertThat(target).hasContent("a,b");
            assertVictimsUntouched();
        }

        @Test
        void a_folder_swapped_for_a_symlink_after_it_was_made_is_not_entered() throws IOException {
            HostTree tree = new HostTree(out);
            tree.folder("", 0755);
            tree.folder("a", 0755);
            Files.delete(out.resolve("a"));
            Files.createSymbolicLink(out.resolve("a"), victimDir);
            assertThatThrownBy(() -> tree.fileSlot("a/b")).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining(out.resolve("a").toString()).hasMessageContaining("not followed");
            assertThatThrownBy(() -> tree.folder("a/c", 0755)).isInstanceOf(FileSystemException.class);
            assertThatThrownBy(() -> tree.symlink("a/d", "x")).isInstanceOf(FileSystemException.class);
            assertVictimsUntouched();
        }

        @Test
        void set_mode_does_not_follow_a_symlink() throws IOException {
            Path link = Files.createSymbolicLink(dir.resolve("link"), victimFile);
            try {
                HostTree.setMode(link, 0777);
            } catch (IOException expected) {
                // Linux cannot chmod a symlink itself: refusing is fine, following is not
            }
            assertVictimsUntouched();
        }
    }

    @Nested
    class What_cannot_be_placed_is_refused {

        @ParameterizedTest
        @ValueSource(strings = {".", "..", "../x", "a/../../x", "a//b", "a/", "/a", "a/.", "x\0y"})
        void names_that_are_not_plain_names(String relative) throws IOException {
            HostTree tree = new HostTree(out);
            tree.folder("", 0755);
            tree.folder("a", 0755);
            assertThatThrownBy(() -> tree.fileSlot(relative)).isInstanceOf(InvalidPathException.class);
            assertThatThrownBy(() -> tree.folder(relative, 0755)).isInstanceOf(InvalidPathException.class);
            assertThat(dir).isDirectoryNotContaining(path -> path.getFileName().toString().equals("x"));
        }

        @Test
        void an_entry_whose_folder_did_not_come_first() throws IOException {
            HostTree tree = new HostTree(out);
            tree.folder("", 0755);
            write(tree.fileSlot("f"), "f\n");
            assertThatThrownBy(() -> tree.fileSlot("g/h")).isInstanceOf(InvalidPathException.class)
                    .hasMessageContaining("did not come before it");
            assertThatThrownBy(() -> tree.fileSlot("f/h")).isInstanceOf(InvalidPathException.class);
            assertThatThrownBy(() -> tree.fileSlot("f")).isInstanceOf(InvalidPathException.class).hasMessageContaining("twice");
        }

        @Test
        void nothing_below_a_root_that_is_a_file() throws IOException {
            HostTree tree = new HostTree(out);
            write(tree.fileSlot(""), "f\n");
            assertThatThrownBy(() -> tree.fileSlot("x")).isInstanceOf(InvalidPathException.class);
        }

        @Test
        void a_symlink_target_with_nul_or_empty() throws IOException {
            HostTree tree = new HostTree(out);
            tree.folder("", 0755);
            assertThatThrownBy(() -> tree.symlink("a", "x\0y")).isInstanceOf(InvalidPathException.class);
            assertThatThrownBy(() -> tree.symlink("b", "")).isInstanceOf(InvalidPathException.class);
        }

        @Test
        void a_folder_with_contents_where_a_file_must_go_but_an_empty_one_gives_way() throws IOException {
            Files.createDirectories(out.resolve("full"));
            Files.writeString(out.resolve("full/keep.txt"), "keep\n");
            Files.createDirectories(out.resolve("empty"));
            HostTree tree = new HostTree(out);
            tree.folder("", 0755);
            assertThatThrownBy(() -> tree.fileSlot("full")).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining("a folder with contents");
            assertThat(out.resolve("full/keep.txt")).hasContent("keep");
            write(tree.fileSlot("empty"), "now a file\n");
            assertThat(out.resolve("empty")).isRegularFile();
        }

        @Test
        void a_file_where_a_folder_must_go_gives_way() throws IOException {
            Files.createDirectories(out);
            Files.writeString(out.resolve("d"), "was a file\n");
            HostTree tree = new HostTree(out);
            tree.folder("", 0755);
            tree.folder("d", 0755);
            assertThat(out.resolve("d")).isDirectory();
        }

        @Test
        void a_file_system_root_as_the_target() {
            assertThatThrownBy(() -> new HostTree(Path.of("/"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("file system root");
        }

        @Test
        void a_name_too_long_for_the_host_fails_with_the_path() throws IOException {
            HostTree tree = new HostTree(out);
            tree.folder("", 0755);
            String longName = "n".repeat(300);
            assertThatThrownBy(() -> tree.folder(longName, 0755)).isInstanceOf(FileSystemException.class)
                    .hasMessageContaining(longName);
            assertThat(Files.exists(out.resolve("x"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        }
    }
}
