package dev.v86unit.images.internal.rootfs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FsTreeTest {

    private final FsTree tree = new FsTree(100);

    @Test
    void should_follow_relative_absolute_and_dot_dot_symlinks_in_parent_components() {
        tree.put(tree.locate("usr/lib/x86/libc.so"), new FsTree.File(0644, 1, 0, 0, "a".repeat(64), 1));
        tree.put(tree.locate("lib"), new FsTree.Symlink("usr/lib", 1, 0, 0));
        tree.put(tree.locate("usr/bin/up"), new FsTree.Symlink("../lib", 1, 0, 0));
        tree.put(tree.locate("abs"), new FsTree.Symlink("/usr/lib/x86", 1, 0, 0));

        assertThat(tree.locate("lib/x86/libc.so").path()).isEqualTo("usr/lib/x86/libc.so");
        assertThat(tree.locate("usr/bin/up/x86/libc.so").path()).isEqualTo("usr/lib/x86/libc.so");
        assertThat(tree.canonical("abs/libc.so")).contains("usr/lib/x86/libc.so");
        assertThat(tree.get("abs")).get().isInstanceOf(FsTree.Symlink.class);
        assertThat(tree.follow("abs")).get().isInstanceOf(FsTree.Dir.class);
        assertThat(tree.canonical("")).contains("");
        assertThat(tree.canonical("usr/missing")).isEmpty();
    }

    @Test
    void should_create_missing_parents_as_implicit_directories() {
        FsTree.Location at = tree.locate("a/b/c");

        assertThat(at.path()).isEqualTo("a/b/c");
        FsTree.Dir b = (FsTree.Dir) tree.get("a/b").orElseThrow();
        assertThat(b.mode()).isEqualTo(0755);
        assertThat(b.mtime()).isEqualTo(100);
        assertThat(b.explicit()).isFalse();
    }

    @Test
    void should_detect_symlink_loops_and_files_used_as_directories() {
        tree.put(tree.locate("loop"), new FsTree.Symlink("loop", 1, 0, 0));
        tree.put(tree.locate("file"), new FsTree.File(0644, 1, 0, 0, "a".repeat(64), 1));

        assertThatThrownBy(() -> tree.locate("loop/x")).hasMessage("Too many levels of symbolic links in loop/x");
        assertThatThrownBy(() -> tree.locate("file/x")).hasMessage("file is a file, not a directory (resolving file/x)");
    }

    @Test
    void should_walk_depth_first_in_name_order() {
        tree.locate("b/z");
        tree.put(tree.locate("b/a"), new FsTree.Symlink("x", 1, 0, 0));
        tree.put(tree.locate("a"), new FsTree.Symlink("x", 1, 0, 0));
        StringBuilder order = new StringBuilder();

        tree.walk((path, node) -> order.append(path).append(' '));

        assertThat(order).hasToString("a b b/a ");
    }
}
