package dev.v86unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * copyFrom never writes through a symlink on the host (issue 13): a symlink that stands where a file
 * or folder from the guest must go is replaced, never followed, whether the guest brought it out
 * earlier or it was there before. Real busybox machine; the victims are temporary files, never
 * real system files.
 */
class CopyFromSymlinkIT {

    static V86Machine vm;
    static final FileTime LONG_AGO = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

    @TempDir
    Path dir;
    Path out;
    Path victimDir;
    Path victimFile;

    @BeforeAll
    static void boot() {
        vm = V86Machine.start("busybox");
    }

    @AfterAll
    static void close() {
        if (vm != null) {
            vm.close();
        }
    }

    @BeforeEach
    void victims() throws IOException {
        out = dir.resolve("out");
        victimDir = Files.createDirectories(dir.resolve("victim-dir"));
        victimFile = Files.writeString(dir.resolve("victim.txt"), "precious\n");
        Files.setPosixFilePermissions(victimFile, PosixFilePermissions.fromString("rw-------"));
        Files.setLastModifiedTime(victimFile, LONG_AGO);
    }

    static void guest(String script) {
        ExecResult result = vm.exec(script);
        assertThat(result.exitCode()).as("guest script %s: %s", script, result.stderr()).isZero();
    }

    void assertVictimsUntouched() throws IOException {
        assertThat(victimDir).isEmptyDirectory();
        assertThat(victimFile).hasContent("precious");
        assertThat(Files.getLastModifiedTime(victimFile)).isEqualTo(LONG_AGO);
        assertThat(Files.getPosixFilePermissions(victimFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Nested
    class A_symlink_where_guest_content_must_go_is_replaced_never_followed {

        @Test
        void a_folder_symlink_brought_out_earlier_then_a_folder_of_that_name() throws IOException {
            guest("rm -rf /tmp/o1 && mkdir -p /tmp/o1 && ln -s " + victimDir + " /tmp/o1/l");
            vm.copyFrom("/tmp/o1", out);
            assertThat(Files.readSymbolicLink(out.resolve("l"))).isEqualTo(victimDir);

            guest("rm /tmp/o1/l && mkdir /tmp/o1/l && echo pwned > /tmp/o1/l/x");
            vm.copyFrom("/tmp/o1", out);

            assertThat(Files.isSymbolicLink(out.resolve("l"))).isFalse();
            assertThat(out.resolve("l")).isDirectory();
            assertThat(out.resolve("l/x")).hasContent("pwned");
            assertVictimsUntouched();
        }

        @Test
        void a_folder_symlink_that_was_on_the_host_before_the_first_copy() throws IOException {
            Files.createDirectories(out);
            Files.createSymbolicLink(out.resolve("l"), victimDir);
            guest("rm -rf /tmp/o2 && mkdir -p /tmp/o2/l && echo pwned > /tmp/o2/l/x");
            vm.copyFrom("/tmp/o2", out);
            assertThat(Files.isSymbolicLink(out.resolve("l"))).isFalse();
            assertThat(out.resolve("l/x")).hasContent("pwned");
            assertVictimsUntouched();
        }

        @Test
        void a_file_symlink_brought_out_earlier_then_a_file_of_that_name() throws IOException {
            guest("rm -rf /tmp/o3 && mkdir -p /tmp/o3 && ln -s " + victimFile + " /tmp/o3/p");
            vm.copyFrom("/tmp/o3", out);
            assertThat(Files.readSymbolicLink(out.resolve("p"))).isEqualTo(victimFile);

            guest("rm /tmp/o3/p && echo 'guest content' > /tmp/o3/p && chmod 777 /tmp/o3/p");
            vm.copyFrom("/tmp/o3", out);

            assertThat(Files.isSymbolicLink(out.resolve("p"))).isFalse();
            assertThat(out.resolve("p")).isRegularFile().hasContent("guest content");
            assertThat(Files.getPosixFilePermissions(out.resolve("p"))).isEqualTo(PosixFilePermissions.fromString("rwxrwxrwx"));
            assertVictimsUntouched();
        }

        @Test
        void a_folder_symlink_in_the_middle_of_a_path() throws IOException {
            Files.createDirectories(out);
            Files.createSymbolicLink(out.resolve("a"), victimDir);
            guest("rm -rf /tmp/o4 && mkdir -p /tmp/o4/a/b && echo deep > /tmp/o4/a/b/c.txt");
            vm.copyFrom("/tmp/o4", out);
            assertThat(Files.isSymbolicLink(out.resolve("a"))).isFalse();
            assertThat(out.resolve("a/b/c.txt")).hasContent("deep");
            assertVictimsUntouched();
        }

        @Test
        void the_named_host_path_itself_when_an_earlier_copy_made_it_a_symlink() throws IOException {
            guest("rm -rf /tmp/o5 && mkdir -p /tmp/o5 && ln -s " + victimFile + " /tmp/o5/report.csv");
            vm.copyFrom("/tmp/o5/report.csv", out.resolve("report.csv"));
            assertThat(Files.isSymbolicLink(out.resolve("report.csv"))).isTrue();

            guest("rm /tmp/o5/report.csv && echo a,b > /tmp/o5/report.csv");
            vm.copyFrom("/tmp/o5/report.csv", out.resolve("report.csv"));

            assertThat(Files.isSymbolicLink(out.resolve("report.csv"))).isFalse();
            assertThat(out.resolve("report.csv")).hasContent("a,b");
            assertVictimsUntouched();
        }

        @Test
        void a_symlink_named_like_the_hosts_old_temporary_file_is_harmless() throws IOException {
            // The Node host used to write <file>.<its pid>.tmp, opened so that it followed a symlink of that name.
            List<Long> pids = ProcessHandle.current().descendants()
                    .filter(p -> p.info().command().orElse("").contains("node")).map(ProcessHandle::pid).toList();
            assertThat(pids).isNotEmpty();
            StringBuilder plant = new StringBuilder("rm -rf /tmp/o6 && mkdir -p /tmp/o6");
            for (long pid : pids) {
                plant.append(" && ln -s ").append(victimFile).append(" /tmp/o6/f.").append(pid).append(".tmp");
            }
            guest(plant.toString());
            vm.copyFrom("/tmp/o6", out);

            guest("echo guest > /tmp/o6/f");
            vm.copyFrom("/tmp/o6", out);

            assertThat(out.resolve("f")).hasContent("guest");
            assertVictimsUntouched();
        }
    }

    @Nested
    class Symlinks_from_the_guest_stay_symlinks {

        @Test
        void absolute_and_climbing_targets_are_kept_as_they_are_and_not_followed() throws IOException {
            guest("rm -rf /tmp/o7 && mkdir -p /tmp/o7 && ln -s /etc/passwd /tmp/o7/abs && ln -s ../../outside /tmp/o7/up"
                    + " && ln -s sub/file /tmp/o7/rel && mkdir /tmp/o7/sub && echo in > /tmp/o7/sub/file");
            vm.copyFrom("/tmp/o7", out);
            assertThat(Files.readSymbolicLink(out.resolve("abs"))).isEqualTo(Path.of("/etc/passwd"));
            assertThat(Files.readSymbolicLink(out.resolve("up"))).isEqualTo(Path.of("../../outside"));
            assertThat(Files.readSymbolicLink(out.resolve("rel"))).isEqualTo(Path.of("sub/file"));
            assertThat(out.resolve("rel")).hasContent("in");
            assertThat(dir.resolve("outside")).doesNotExist();
        }
    }

    @Nested
    class Ordinary_copies_keep_working {

        @Test
        void modes_symlinks_empty_folders_and_a_second_copy_over_the_first() throws IOException {
            guest("rm -rf /tmp/o8 && mkdir -p /tmp/o8/sub /tmp/o8/empty /tmp/o8/ro && echo report > /tmp/o8/report.csv"
                    + " && printf '#!/bin/sh\\n' > /tmp/o8/sub/tool && chmod 750 /tmp/o8/sub/tool && chmod 700 /tmp/o8/sub"
                    + " && echo locked > /tmp/o8/ro/file && chmod 555 /tmp/o8/ro && ln -s report.csv /tmp/o8/link");
            vm.copyFrom("/tmp/o8", out);
            guest("echo second > /tmp/o8/report.csv");
            Files.writeString(out.resolve("host-only.txt"), "kept\n");
            try {
                vm.copyFrom("/tmp/o8", out.resolve("again"));
                vm.copyFrom("/tmp/o8/report.csv", out.resolve("report.csv"));

                assertThat(out.resolve("report.csv")).hasContent("second");
                assertThat(out.resolve("host-only.txt")).hasContent("kept");
                assertThat(out.resolve("again/report.csv")).hasContent("second");
                assertThat(Files.getPosixFilePermissions(out.resolve("sub/tool"))).isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
                assertThat(Files.getPosixFilePermissions(out.resolve("sub"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
                assertThat(Files.getPosixFilePermissions(out.resolve("ro"))).isEqualTo(PosixFilePermissions.fromString("r-xr-xr-x"));
                assertThat(out.resolve("ro/file")).hasContent("locked");
                assertThat(out.resolve("empty")).isEmptyDirectory();
                assertThat(Files.readSymbolicLink(out.resolve("link"))).isEqualTo(Path.of("report.csv"));
                try (var files = Files.list(out)) {
                    assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
                }
            } finally {
                for (Path readOnly : List.of(out.resolve("ro"), out.resolve("again/ro"))) {
                    if (Files.isDirectory(readOnly, LinkOption.NOFOLLOW_LINKS)) {
                        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
        }

        @Test
        void names_with_control_characters_spaces_and_non_ascii_letters() throws IOException {
            guest("rm -rf /tmp/o9 && mkdir -p /tmp/o9 && echo nl > \"/tmp/o9/$(printf 'a\\nb')\" && echo tab > \"/tmp/o9/$(printf 'c\\td e')\""
                    + " && echo accent > /tmp/o9/caf\u00e9 && echo back > '/tmp/o9/x\\y'");
            vm.copyFrom("/tmp/o9", out);
            assertThat(out.resolve("a\nb")).hasContent("nl");
            assertThat(out.resolve("c\td e")).hasContent("tab");
            assertThat(out.resolve("caf\u00e9")).hasContent("accent");
            assertThat(out.resolve("x\\y")).hasContent("back");
        }
    }

    @Nested
    class What_the_host_cannot_create_is_a_clear_error_and_the_machine_stays_usable {

        @Test
        void a_path_too_long_for_the_host_names_the_guest_path_and_the_host_path() throws IOException {
            // Fine in the guest (under its PATH_MAX of 4096), too long once below this long host folder.
            String level = "n".repeat(240);
            String deep = "/tmp/o10/" + String.join("/", java.util.Collections.nCopies(15, level));
            Path longRoot = dir.resolve("h".repeat(240)).resolve("i".repeat(240)).resolve("j".repeat(240)).resolve("out");
            guest("rm -rf /tmp/o10 && mkdir -p " + deep + " && echo deep > " + deep + "/file");

            // long paths are cut in the middle in the message
            assertThatThrownBy(() -> vm.copyFrom("/tmp/o10", longRoot)).isInstanceOf(V86Exception.class)
                    .hasMessageStartingWith("Cannot copy guest path \"/tmp/o10/" + level + "/")
                    .hasMessageContaining(level + "\" to host path \"" + dir + "/hhh")
                    .hasMessageEndingWith(level + "\": File name too long");

            assertThat(vm.exec("echo still ok; ls -A /mnt/v86unit/.v86unit/xfer | wc -l").stdout()).isEqualTo("still ok\n0\n");
            guest("echo fine > /tmp/o10/short.txt");
            vm.copyFrom("/tmp/o10/short.txt", out.resolve("short.txt"));
            assertThat(out.resolve("short.txt")).hasContent("fine");
        }

        @Test
        void a_host_folder_with_contents_where_a_guest_file_must_go() throws IOException {
            Files.createDirectories(out.resolve("data"));
            Files.writeString(out.resolve("data/keep.txt"), "keep\n");
            guest("rm -rf /tmp/o11 && mkdir -p /tmp/o11 && echo file > /tmp/o11/data");
            assertThatThrownBy(() -> vm.copyFrom("/tmp/o11", out)).isInstanceOf(V86Exception.class)
                    .hasMessageContaining("/tmp/o11/data").hasMessageContaining(out.resolve("data").toString())
                    .hasMessageContaining("a folder with contents");
            assertThat(out.resolve("data/keep.txt")).hasContent("keep");
            assertThat(Files.exists(out.resolve("data"), LinkOption.NOFOLLOW_LINKS)).isTrue();
            assertThat(vm.exec("echo ok").stdout()).isEqualTo("ok\n");
        }
    }
}
