package dev.v86unit.images.internal.rootfs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FsJsonTest {

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    private static FsTree tree() {
        FsTree tree = new FsTree(100);
        // put in reverse order: the output must be sorted anyway
        tree.put(tree.locate("usr/bin/sh"), new FsTree.Symlink("dash", 300, 0, 0));
        tree.put(tree.locate("usr/bin/dash"), new FsTree.File(0755, 200, 0, 0, SHA_A, 10));
        tree.put(tree.locate("tmp"), new FsTree.Dir(01777, 400, 0, 0, true));
        tree.put(tree.locate("etc/shadow"), new FsTree.File(0640, 500, 0, 42, SHA_B, 5));
        tree.put(tree.locate("bin"), new FsTree.Symlink("usr/bin", 100, 0, 0));
        return tree;
    }

    @Test
    void should_write_v86_basefs_version_3_sorted_with_full_mode_bits() {
        FsJson.Result result = FsJson.write(tree());

        assertThat(new String(result.json(), StandardCharsets.UTF_8)).isEqualTo("{\"version\":3,\"size\":15,\"fsroot\":["
                + "[\"bin\",7,100,41471,0,0,\"usr/bin\"],"
                + "[\"etc\",0,100,16877,0,0,[[\"shadow\",5,500,33184,0,42,\"" + SHA_B + "\"]]],"
                + "[\"tmp\",0,400,17407,0,0,[]],"
                + "[\"usr\",0,100,16877,0,0,[[\"bin\",0,100,16877,0,0,["
                + "[\"dash\",10,200,33261,0,0,\"" + SHA_A + "\"],"
                + "[\"sh\",4,300,41471,0,0,\"dash\"]]]]]]}");
        assertThat(0120777).isEqualTo(41471);
        assertThat(0040755).isEqualTo(16877);
        assertThat(0100640).isEqualTo(33184);
        assertThat(0041777).isEqualTo(17407);
        assertThat(result.files()).isEqualTo(2);
        assertThat(result.bytes()).isEqualTo(15);
    }

    @Test
    void should_give_the_same_bytes_for_the_same_tree() {
        assertThat(FsJson.write(tree()).json()).isEqualTo(FsJson.write(tree()).json());
    }

    @Test
    void should_read_back_every_entry_with_its_path() {
        List<FsJson.Entry> entries = FsJson.read(FsJson.write(tree()).json());

        assertThat(entries).extracting(FsJson.Entry::path)
                .containsExactly("bin", "etc", "etc/shadow", "tmp", "usr", "usr/bin", "usr/bin/dash", "usr/bin/sh");
        assertThat(entries.get(2)).isEqualTo(new FsJson.Entry("etc/shadow", 5, 500, 0100640, 0, 42, SHA_B));
        assertThat(entries.get(2).isFile()).isTrue();
        assertThat(entries.get(0).isSymlink()).isTrue();
        assertThat(entries.get(1).isDirectory()).isTrue();
    }

    @Test
    void should_refuse_another_format_version() {
        assertThatThrownBy(() -> FsJson.read("{\"version\":2,\"fsroot\":[]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a version 3 fs.json (no \"version\": 3 and \"fsroot\" array)");
    }
}
