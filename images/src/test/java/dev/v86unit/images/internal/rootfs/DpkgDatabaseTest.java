package dev.v86unit.images.internal.rootfs;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DpkgDatabaseTest {

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

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void should_leave_every_package_unpacked_with_its_scripts_and_file_list_for_dpkg_configure() {
        rootfs.text("etc/hello.conf", 0644, "greeting=hi\n");
        DpkgDatabase.write(rootfs, List.of(new DpkgDatabase.Unpacked("hello", Map.of(
                "control", bytes("Package: hello\nVersion: 1.0\nArchitecture: i386\nDescription: greets\n"),
                "postinst", bytes("#!/bin/sh\nadduser --system hello\n"),
                "conffiles", bytes("/etc/hello.conf\n/etc/gone.conf\n"),
                "md5sums", bytes("abc  usr/bin/hello\n")),
                List.of("./", "usr/", "usr/bin/", "usr/bin/hello", "etc/hello.conf"))));

        assertThat(text("var/lib/dpkg/status")).isEqualTo("""
                Package: hello
                Status: install ok unpacked
                Version: 1.0
                Architecture: i386
                Description: greets
                Conffiles:
                 /etc/hello.conf 6ef3a31b2e9fc6b0b8a9f3c39e0c1b7b

                """.replace("6ef3a31b2e9fc6b0b8a9f3c39e0c1b7b", md5("greeting=hi\n")));
        assertThat(text("var/lib/dpkg/info/hello.postinst")).startsWith("#!/bin/sh");
        assertThat(((FsTree.File) rootfs.tree().get("var/lib/dpkg/info/hello.postinst").orElseThrow()).mode()).isEqualTo(0755);
        assertThat(((FsTree.File) rootfs.tree().get("var/lib/dpkg/info/hello.md5sums").orElseThrow()).mode()).isEqualTo(0644);
        assertThat(text("var/lib/dpkg/info/hello.list")).isEqualTo("/.\n/usr\n/usr/bin\n/usr/bin/hello\n/etc/hello.conf\n");
        assertThat(rootfs.tree().get("var/lib/dpkg/updates")).isPresent();
    }

    @Test
    void should_name_the_files_of_a_multi_arch_same_package_with_its_architecture() {
        DpkgDatabase.write(rootfs, List.of(new DpkgDatabase.Unpacked("libz", Map.of(
                "control", bytes("Package: libz\nVersion: 1\nArchitecture: i386\nMulti-Arch: same\n"),
                "triggers", bytes("activate-noawait ldconfig\n")), List.of("usr/lib/libz.so.1"))));

        assertThat(text("var/lib/dpkg/info/libz:i386.triggers")).isEqualTo("activate-noawait ldconfig\n");
        assertThat(text("var/lib/dpkg/info/libz:i386.list")).isEqualTo("/.\n/usr/lib/libz.so.1\n");
    }

    @Test
    void should_tell_dpkg_to_leave_out_what_images_leave_out() {
        DpkgDatabase.excludes(rootfs);

        assertThat(text("etc/dpkg/dpkg.cfg.d/v86unit-excludes")).contains("path-exclude /usr/share/doc/*\n",
                "path-exclude /usr/share/man/*\n");
    }

    @Test
    void should_write_a_first_boot_that_runs_preinst_scripts_then_dpkg_configure_when_dpkg_is_there() {
        rootfs.file("usr/bin/dpkg", 0755, new byte[] {1});

        assertThat(FirstBoot.write(rootfs)).contains("dpkg --configure -a");

        String script = text(FirstBoot.PATH);
        assertThat(script).contains("policy-rc.d", ".preinst\" install", "dpkg --configure -a || status=$?", "exit $status");
        assertThat(script.indexOf(".preinst\" install")).isLessThan(script.indexOf("dpkg --configure -a"));
    }

    private static String md5(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes(text)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
