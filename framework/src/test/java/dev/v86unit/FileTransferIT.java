package dev.v86unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** copyTo / readFile / copyFrom on a real busybox machine. */
class FileTransferIT {

    static V86Machine vm;

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

    static byte[] allBytes() {
        byte[] bytes = new byte[256 * 40];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 7);
        }
        return bytes;
    }

    @Nested
    class Into_the_guest {

        @Test
        void bytes_become_an_exact_file_with_its_parent_folders_created() {
            vm.copyTo(allBytes(), "/srv/deep/new/folder/blob.bin");
            assertThat(vm.readFile("/srv/deep/new/folder/blob.bin")).containsExactly(allBytes());
            assertThat(vm.exec("wc -c < /srv/deep/new/folder/blob.bin").stdout().trim()).isEqualTo(Integer.toString(allBytes().length));
        }

        @Test
        void a_host_folder_arrives_recursively_with_executable_bits_and_symlinks(@TempDir Path dir) throws Exception {
            Files.createDirectories(dir.resolve("app/bin"));
            Files.writeString(dir.resolve("app/bin/run.sh"), "#!/bin/sh\necho \"ran with $1\"\n");
            Files.setPosixFilePermissions(dir.resolve("app/bin/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(dir.resolve("app/data.txt"), "data\n");
            Files.createSymbolicLink(dir.resolve("app/latest"), Path.of("bin/run.sh"));
            vm.copyTo(dir.resolve("app"), "/opt/app");
            assertThat(vm.exec("/opt/app/bin/run.sh x; /opt/app/latest y; cat /opt/app/data.txt").stdout())
                    .isEqualTo("ran with x\nran with y\ndata\n");
            assertThat(vm.exec("readlink /opt/app/latest; stat -c %a /opt/app/bin/run.sh /opt/app/data.txt").stdout())
                    .isEqualTo("bin/run.sh\n755\n644\n");
        }

        @Test
        void a_classpath_folder_arrives_too() {
            vm.copyTo(FileSource.classpath("transfer-fixture/"), "/opt/fixture");
            assertThat(vm.exec("/opt/fixture/bin/tool.sh a b; cat /opt/fixture/readme.txt").stdout())
                    .isEqualTo("tool ran with a b\nhello fixture\n");
        }

        @Test
        void a_file_copied_again_replaces_the_old_one() {
            vm.copyTo("first, a longer text\n".getBytes(StandardCharsets.UTF_8), "/tmp/replaced.txt");
            vm.copyTo("second\n".getBytes(StandardCharsets.UTF_8), "/tmp/replaced.txt");
            assertThat(vm.exec("cat /tmp/replaced.txt").stdout()).isEqualTo("second\n");
        }
    }

    @Nested
    class Out_of_the_guest {

        @Test
        void read_file_returns_what_the_guest_wrote_completely() {
            vm.exec("i=0; while [ $i -lt 3000 ]; do echo line $i; i=$((i+1)); done > /tmp/written.txt");
            String content = new String(vm.readFile("/tmp/written.txt"), StandardCharsets.UTF_8);
            assertThat(content).startsWith("line 0\n").endsWith("line 2999\n").hasLineCount(3000);
        }

        @Test
        void copy_from_brings_a_folder_back_with_modes_and_symlinks(@TempDir Path dir) throws Exception {
            vm.exec("mkdir -p /tmp/out/sub && echo report > /tmp/out/report.csv && printf '#!/bin/sh\\n' > /tmp/out/sub/tool"
                    + " && chmod 755 /tmp/out/sub/tool && ln -s report.csv /tmp/out/link");
            vm.copyFrom("/tmp/out", dir.resolve("out"));
            assertThat(dir.resolve("out/report.csv")).hasContent("report");
            assertThat(Files.getPosixFilePermissions(dir.resolve("out/sub/tool"))).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
            assertThat(Files.readSymbolicLink(dir.resolve("out/link"))).isEqualTo(Path.of("report.csv"));
        }

        @Test
        void copy_from_brings_a_single_binary_file_back_exactly(@TempDir Path dir) {
            vm.copyTo(allBytes(), "/tmp/blob-out.bin");
            vm.copyFrom("/tmp/blob-out.bin", dir.resolve("blob.bin"));
            assertThat(dir.resolve("blob.bin")).hasBinaryContent(allBytes());
        }
    }

    @Nested
    class Bad_input_is_refused_clearly_and_the_machine_stays_usable {

        @Test
        void relative_and_escaping_guest_paths() {
            assertThatThrownBy(() -> vm.copyTo(new byte[1], "tmp/x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'tmp/x'");
            assertThatThrownBy(() -> vm.readFile("/tmp/../etc/passwd")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'..'");
            assertThat(vm.exec("echo ok").stdout()).isEqualTo("ok\n");
        }

        @Test
        void missing_files_on_either_side() {
            assertThatThrownBy(() -> vm.copyTo(Path.of("/no/such/host/file"), "/tmp/x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("/no/such/host/file");
            assertThatThrownBy(() -> vm.copyTo(FileSource.classpath("no-such-resource"), "/tmp/x"))
                    .hasMessageContaining("no-such-resource");
            assertThatThrownBy(() -> vm.readFile("/no/such/guest/file")).isInstanceOf(V86Exception.class)
                    .hasMessageContaining("/no/such/guest/file").hasMessageContaining("no such file");
            assertThatThrownBy(() -> vm.readFile("/etc")).isInstanceOf(V86Exception.class).hasMessageContaining("is a directory");
            assertThatThrownBy(() -> vm.copyFrom("/no/such/guest/dir", Path.of("target/never"))).isInstanceOf(V86Exception.class)
                    .hasMessageContaining("/no/such/guest/dir");
            assertThat(vm.exec("echo still ok").stdout()).isEqualTo("still ok\n");
        }
    }
}
