package dev.v86unit.images.internal.rootfs;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptlessConfigureTest {

    @TempDir
    Path store;

    private Rootfs rootfs;

    @BeforeEach
    void setUp() {
        rootfs = new Rootfs(new ContentStore(store));
    }

    private String text(String path) {
        return new String(rootfs.read(path).orElseThrow(), StandardCharsets.UTF_8);
    }

    @Test
    void should_list_packaged_shells_under_both_paths_as_update_shells_does() {
        rootfs.text("usr/share/debianutils/shells", 0644, "# /etc/shells: valid login shells\n/bin/sh\n");
        rootfs.text("usr/share/debianutils/shells.d/bash", 0644, "/bin/bash\n/bin/rbash\n");
        rootfs.text("usr/share/debianutils/shells.d/a-shell", 0644, "/usr/bin/ash # comment\n\n");

        ScriptlessConfigure.apply(rootfs);

        assertThat(text("etc/shells")).isEqualTo("""
                # /etc/shells: valid login shells
                /bin/sh
                /usr/bin/sh
                /usr/bin/ash
                /bin/bash
                /usr/bin/bash
                /bin/rbash
                /usr/bin/rbash
                """);
    }

    @Test
    void should_copy_default_files_only_where_nothing_is_yet() {
        rootfs.text("usr/share/base-files/profile", 0644, "default profile\n");
        rootfs.text("usr/share/base-files/dot.bashrc", 0600, "default bashrc\n");
        rootfs.text("usr/share/libc-bin/nsswitch.conf", 0644, "passwd: files\n");
        rootfs.text("etc/profile", 0644, "a package's own profile\n");

        ScriptlessConfigure.apply(rootfs);

        assertThat(text("etc/profile")).isEqualTo("a package's own profile\n");
        assertThat(text("root/.bashrc")).isEqualTo("default bashrc\n");
        assertThat(((FsTree.File) rootfs.tree().get("root/.bashrc").orElseThrow()).mode()).isEqualTo(0600);
        assertThat(text("etc/nsswitch.conf")).isEqualTo("passwd: files\n");
        assertThat(rootfs.present("etc/motd")).isFalse();
    }

    @Test
    void should_set_the_time_zone_to_utc_when_tzdata_is_installed() {
        rootfs.text("usr/share/zoneinfo/Etc/UTC", 0644, "TZif");

        ScriptlessConfigure.apply(rootfs);

        assertThat(rootfs.tree().get("etc/localtime")).contains(new FsTree.Symlink("/usr/share/zoneinfo/Etc/UTC",
                Rootfs.FIXED_MTIME, 0, 0));
        assertThat(text("etc/timezone")).isEqualTo("Etc/UTC\n");
    }

    @Test
    void should_leave_what_needs_the_guest_to_a_first_boot_script_only_when_needed() {
        assertThat(FirstBoot.write(rootfs)).isEmpty();
        assertThat(rootfs.present(FirstBoot.PATH)).isFalse();

        rootfs.text("usr/sbin/update-ca-certificates", 0755, "#!/bin/sh\n");
        List<String> commands = FirstBoot.write(rootfs);

        assertThat(commands).containsExactly("update-ca-certificates --fresh >/dev/null");
        assertThat(text(FirstBoot.PATH)).startsWith("#!/bin/sh\n").endsWith(
                "# ca-certificates' postinst\nupdate-ca-certificates --fresh >/dev/null\n");
        assertThat(((FsTree.File) rootfs.tree().get(FirstBoot.PATH).orElseThrow()).mode()).isEqualTo(0755);
    }
}
