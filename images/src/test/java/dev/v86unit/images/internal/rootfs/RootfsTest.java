package dev.v86unit.images.internal.rootfs;

import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.internal.deb.DebEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Rootfs unpacks package members as dpkg would, rootless, into a merged-/usr tree")
class RootfsTest {

    @TempDir
    Path storeDir;

    private Rootfs rootfs;

    @BeforeEach
    void setUp() {
        rootfs = new Rootfs(new ContentStore(storeDir));
    }

    private void dir(String pkg, String path, int mode, long mtime) {
        rootfs.add(pkg, new DebEntry(path, DebEntry.Type.DIRECTORY, mode, mtime, 0, 0, 0, ""), InputStream.nullInputStream());
    }

    private void file(String pkg, String path, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        rootfs.add(pkg, new DebEntry(path, DebEntry.Type.FILE, 0755, 1000, 0, 0, bytes.length, ""),
                new ByteArrayInputStream(bytes));
    }

    private void symlink(String pkg, String path, String target) {
        rootfs.add(pkg, new DebEntry(path, DebEntry.Type.SYMLINK, 0777, 1000, 0, 0, 0, target),
                InputStream.nullInputStream());
    }

    private String content(String path) {
        return new String(rootfs.read(path).orElseThrow(), StandardCharsets.UTF_8);
    }

    private List<String> paths() {
        List<String> paths = new ArrayList<>();
        rootfs.tree().walk((path, node) -> paths.add(path));
        return paths;
    }

    @Nested
    class MergedUsr {

        @Test
        void should_start_with_bin_sbin_and_lib_linked_into_usr() {
            assertThat(rootfs.tree().get("bin")).contains(new FsTree.Symlink("usr/bin", Rootfs.FIXED_MTIME, 0, 0));
            assertThat(rootfs.tree().get("sbin")).contains(new FsTree.Symlink("usr/sbin", Rootfs.FIXED_MTIME, 0, 0));
            assertThat(rootfs.tree().get("lib")).contains(new FsTree.Symlink("usr/lib", Rootfs.FIXED_MTIME, 0, 0));
            assertThat(paths()).containsExactly("bin", "lib", "sbin", "usr", "usr/bin", "usr/lib", "usr/sbin");
        }

        @Test
        void should_put_files_from_bin_sbin_and_lib_under_usr() {
            file("dash", "bin/dash", "dash");
            symlink("dash", "bin/sh", "dash");
            file("libc6", "lib/i386-linux-gnu/libc.so.6", "libc");
            file("util-linux", "sbin/mkswap", "mkswap");

            assertThat(rootfs.tree().get("usr/bin/dash")).get().isInstanceOf(FsTree.File.class);
            assertThat(rootfs.tree().get("usr/bin/sh")).contains(new FsTree.Symlink("dash", 1000, 0, 0));
            assertThat(content("usr/lib/i386-linux-gnu/libc.so.6")).isEqualTo("libc");
            assertThat(content("usr/sbin/mkswap")).isEqualTo("mkswap");
            assertThat(content("bin/sh")).as("through both links").isEqualTo("dash");
            assertThat(rootfs.tree().root().children()).containsOnlyKeys("bin", "lib", "sbin", "usr");
        }

        @Test
        void should_keep_the_links_when_a_package_lists_bin_as_a_directory() {
            dir("base-files", "bin", 0755, 1000);
            dir("base-files", "usr", 0755, 1000);

            assertThat(rootfs.tree().get("bin")).get().isInstanceOf(FsTree.Symlink.class);
        }

        @Test
        void should_keep_the_usr_file_when_both_exist_whatever_the_order() {
            file("aaa", "usr/bin/tool", "from usr");
            file("zzz", "bin/tool", "from bin");
            assertThat(content("usr/bin/tool")).isEqualTo("from usr");

            file("aaa", "bin/other", "from bin");
            file("zzz", "usr/bin/other", "from usr");
            assertThat(content("usr/bin/other")).isEqualTo("from usr");
        }

        @Test
        void should_let_a_later_package_replace_a_file_at_the_same_path() {
            file("aaa", "usr/bin/tool", "first");
            file("bbb", "usr/bin/tool", "second");

            assertThat(content("usr/bin/tool")).isEqualTo("second");
            assertThat(rootfs.replacedFiles()).isEqualTo(1);
        }
    }

    @Nested
    class Members {

        @Test
        void should_keep_mode_mtime_and_owner_from_the_archive() {
            rootfs.add("libpam-modules-bin", new DebEntry("usr/sbin/unix_chkpwd", DebEntry.Type.FILE, 02755,
                    1754841242L, 0, 42, 3, ""), new ByteArrayInputStream(new byte[] {1, 2, 3}));

            FsTree.File file = (FsTree.File) rootfs.tree().get("usr/sbin/unix_chkpwd").orElseThrow();
            assertThat(file.mode()).isEqualTo(02755);
            assertThat(file.mtime()).isEqualTo(1754841242L);
            assertThat(file.gid()).isEqualTo(42);
            assertThat(file.size()).isEqualTo(3);
            assertThat(storeDir.resolve(file.sha256())).hasBinaryContent(new byte[] {1, 2, 3});
        }

        @Test
        void should_give_a_directory_the_metadata_of_the_first_package_that_lists_it() {
            file("aaa", "var/local/x", "x");
            dir("base-files", "var/local", 02775, 2000);
            dir("other", "var/local", 0755, 3000);

            FsTree.Dir dir = (FsTree.Dir) rootfs.tree().get("var/local").orElseThrow();
            assertThat(dir.mode()).isEqualTo(02775);
            assertThat(dir.mtime()).isEqualTo(2000);
            assertThat(((FsTree.Dir) rootfs.tree().get("var").orElseThrow()).mode()).isEqualTo(0755);
        }

        @Test
        void should_turn_hard_links_into_files_with_the_same_content_through_merged_usr() {
            file("bzip2", "bin/bunzip2", "bzip2 binary");
            rootfs.add("bzip2", new DebEntry("bin/bzcat", DebEntry.Type.HARDLINK, 0755, 1000, 0, 0, 0, "bin/bunzip2"),
                    InputStream.nullInputStream());

            assertThat(rootfs.tree().get("usr/bin/bzcat")).isEqualTo(rootfs.tree().get("usr/bin/bunzip2"));
        }

        @Test
        void should_leave_out_device_nodes_and_fifos() {
            rootfs.add("x", new DebEntry("dev/fifo", DebEntry.Type.OTHER, 0644, 1000, 0, 0, 0, ""),
                    InputStream.nullInputStream());

            assertThat(rootfs.tree().get("dev/fifo")).isEmpty();
            assertThat(rootfs.skippedSpecialFiles()).isEqualTo(1);
        }

        @Test
        void should_name_both_packages_when_a_file_would_replace_a_directory() {
            dir("aaa", "usr/share/thing", 0755, 1000);
            file("aaa", "usr/share/thing/f", "f");

            assertThatThrownBy(() -> file("bbb", "usr/share/thing", "x"))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessage("Package bbb ships a file at /usr/share/thing, where another package has a directory;"
                            + " v86unit cannot install both");
        }
    }

    @Nested
    class Exclusions {

        @Test
        void should_leave_out_documentation_manual_pages_translations_and_lint_data() {
            dir("bash", "usr/share/doc", 0755, 1000);
            dir("bash", "usr/share/doc/bash", 0755, 1000);
            file("bash", "usr/share/doc/bash/copyright", "GPL");
            file("bash", "usr/share/man/man1/bash.1.gz", "man");
            file("bash", "usr/share/info/bash.info.gz", "info");
            file("bash", "usr/share/locale/de/LC_MESSAGES/bash.mo", "mo");
            file("bash", "usr/share/lintian/overrides/bash", "lintian");
            file("bash", "usr/share/bug/bash/presubj", "bug");
            file("bash", "usr/share/doc-base/bash", "doc-base");
            symlink("bash", "usr/share/doc/bash-static", "bash");
            file("bash", "usr/share/documentation-is-not-excluded", "kept");
            file("libc-bin", "usr/lib/locale/C.utf8/LC_CTYPE", "ctype");

            assertThat(paths()).filteredOn(p -> p.startsWith("usr/share/"))
                    .containsExactly("usr/share/documentation-is-not-excluded");
            assertThat(content("usr/lib/locale/C.utf8/LC_CTYPE")).isEqualTo("ctype");
            assertThat(storeDir.toFile().list()).as("excluded content is not stored").hasSize(2);
        }

        @Test
        void should_refuse_a_hard_link_to_a_left_out_file() {
            assertThatThrownBy(() -> rootfs.add("pkg", new DebEntry("usr/bin/x", DebEntry.Type.HARDLINK, 0755, 1000,
                    0, 0, 0, "usr/share/doc/pkg/x"), InputStream.nullInputStream()))
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessage("Package pkg: /usr/bin/x is a hard link to /usr/share/doc/pkg/x, which v86unit leaves"
                            + " out of images");
        }
    }
}
