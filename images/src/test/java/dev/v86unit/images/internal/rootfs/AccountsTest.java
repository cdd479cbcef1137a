package dev.v86unit.images.internal.rootfs;

import dev.v86unit.images.ImageBuildException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccountsTest {

    /** The first lines of base-passwd 3.6.1's masters. */
    private static final String PASSWD_MASTER = """
            root:*:0:0:root:/root:/bin/bash
            daemon:*:1:1:daemon:/usr/sbin:/usr/sbin/nologin
            nobody:*:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
            """;
    private static final String GROUP_MASTER = """
            root:*:0:
            mail:*:8:
            shadow:*:42:
            utmp:*:43:
            nogroup:*:65534:
            """;

    @TempDir
    Path store;

    private Rootfs rootfs() {
        Rootfs rootfs = new Rootfs(new ContentStore(store));
        rootfs.text(Accounts.PASSWD_MASTER, 0644, PASSWD_MASTER);
        rootfs.text(Accounts.GROUP_MASTER, 0644, GROUP_MASTER);
        return rootfs;
    }

    private static String text(Rootfs rootfs, String path) {
        return new String(rootfs.read(path).orElseThrow(), StandardCharsets.UTF_8);
    }

    @Test
    void should_write_passwd_and_group_from_the_base_passwd_masters_with_shadowed_locked_passwords() {
        Rootfs rootfs = rootfs();

        Accounts.write(rootfs);

        assertThat(text(rootfs, "etc/passwd")).isEqualTo("""
                root:x:0:0:root:/root:/bin/bash
                daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
                nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
                """);
        assertThat(text(rootfs, "etc/shadow")).isEqualTo("""
                root:*:19358:0:99999:7:::
                daemon:*:19358:0:99999:7:::
                nobody:*:19358:0:99999:7:::
                """);
        assertThat(text(rootfs, "etc/group")).startsWith("root:x:0:\nmail:x:8:\n");
        assertThat(text(rootfs, "etc/gshadow")).startsWith("root:*::\nmail:*::\n");
        FsTree.File shadow = (FsTree.File) rootfs.tree().get("etc/shadow").orElseThrow();
        assertThat(shadow.mode()).isEqualTo(0640);
        assertThat(shadow.gid()).as("group shadow").isEqualTo(42);
        assertThat(((FsTree.File) rootfs.tree().get("etc/passwd").orElseThrow()).mode()).isEqualTo(0644);
        assertThat(Accounts.gid(rootfs, "utmp")).isEqualTo(43);
        assertThat(Accounts.gid(rootfs, "no-such-group")).isZero();
    }

    @Test
    void should_say_that_base_passwd_is_missing() {
        assertThatThrownBy(() -> Accounts.write(new Rootfs(new ContentStore(store))))
                .isInstanceOf(ImageBuildException.class)
                .hasMessage("The root filesystem has no /usr/share/base-passwd/passwd.master (package base-passwd),"
                        + " so it has no users");
    }
}
