package dev.v86unit;

import dev.v86unit.images.testing.DebianRootfsTarballs;
import dev.v86unit.internal.config.Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Root filesystems the user brings ({@code rootfs:}, {@code oci:}) on real machines: archives made from
 * Debian packages (busybox + musl, glibc + dash), booted on the same kernel, through the same protocol.
 * One machine at a time.
 */
@DisplayName("Images from archives the user brings, booted")
class ArchiveImagesIT {

    static final Path ARCHIVES = Path.of("target", "test-archives");
    static Path debs;
    static Path busyboxMusl;

    @BeforeAll
    static void archives() {
        debs = Settings.load().cacheDir().resolve("images").resolve("debs");
        busyboxMusl = DebianRootfsTarballs.busyboxMusl(debs, ARCHIVES.resolve("busybox-musl-i386.tar.gz"));
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class A_busybox_and_musl_userland {

        V86Machine vm;

        @BeforeAll
        void boot() {
            long start = System.nanoTime();
            vm = V86Machine.start("rootfs:file:" + busyboxMusl);
            System.out.printf("rootfs:file:%s started in %d ms (first time: build + cold boot + snapshot)%n", busyboxMusl,
                    (System.nanoTime() - start) / 1_000_000);
        }

        @AfterAll
        void close() {
            if (vm != null) {
                vm.close();
            }
        }

        @Test
        void runs_its_own_shell_and_musl_without_bash_or_glibc() {
            assertThat(vm.exec("cat /etc/os-release").stdout()).contains("busybox and musl from Debian packages");
            assertThat(vm.exec("readlink /bin/sh; which ls").stdout()).isEqualTo("busybox\n/bin/ls\n");
            ExecResult musl = vm.exec("/lib/ld-musl-i386.so.1 --version 2>&1; true");
            assertThat(musl.stdout()).contains("musl libc (i386)");
            assertThat(vm.exec("command -v bash || echo no bash; [ -e /lib/ld-linux.so.2 ] || echo no glibc").stdout())
                    .isEqualTo("no bash\nno glibc\n");
        }

        @Test
        void gets_the_commands_it_lacks_from_the_fallback_busybox_last_on_the_path() {
            assertThat(vm.exec("which mkfifo setsid renice dd").stdout()).isEqualTo("/usr/lib/v86unit/bin/mkfifo\n"
                    + "/usr/lib/v86unit/bin/setsid\n/usr/lib/v86unit/bin/renice\n/usr/lib/v86unit/bin/dd\n");
            ExecResult failing = vm.exec("echo out; echo err >&2; exit 3");
            assertThat(failing.exitCode()).isEqualTo(3);
            assertThat(failing.stdout()).isEqualTo("out\n");
            assertThat(failing.stderr()).isEqualTo("err\n");
        }

        @Test
        void takes_fixtures_in_and_out(@TempDir Path dir) throws Exception {
            vm.copyTo("fixture\n".getBytes(), "/srv/in.txt");
            assertThat(vm.exec("cat /srv/in.txt").stdout()).isEqualTo("fixture\n");
            vm.exec("mkdir -p /srv/out && echo result > /srv/out/r.txt");
            vm.copyFrom("/srv/out", dir.resolve("out"));
            assertThat(Files.readString(dir.resolve("out/r.txt"))).isEqualTo("result\n");
        }

        @Test
        void resets_to_its_start_state_and_restores_from_its_snapshot() {
            vm.exec("touch /root/dirty");
            vm.reset();
            assertThat(vm.exec("[ -e /root/dirty ] && echo dirty || echo clean").stdout()).isEqualTo("clean\n");

            long start = System.nanoTime();
            try (V86Machine second = V86Machine.start(MachineSpec.of("rootfs:" + busyboxMusl.toAbsolutePath()))) {
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertThat(second.imageId()).as("same bytes, same id, whatever the path").isEqualTo(vm.imageId());
                assertThat(second.exec("cat /etc/os-release").stdout()).contains("busybox and musl");
                System.out.printf("Second machine of the same archive (from its snapshot): %d ms%n", ms);
            }
        }
    }

    @Nested
    class With_ports {

        @Test
        void serves_a_mapped_port_and_names_the_host() throws Exception {
            // the network comes up in the initramfs; the user's root gets host.v86unit.internal in its /etc/hosts
            try (V86Machine vm = V86Machine.start(MachineSpec.of("rootfs:file:" + busyboxMusl).withExposedPorts(8080))) {
                assertThat(vm.exec("grep host.v86unit.internal /etc/hosts").stdout())
                        .isEqualTo("192.168.86.1\thost.v86unit.internal\n");
                vm.exec("mkdir -p /srv && echo 'hello from musl' > /srv/index.html");
                vm.execInBackground("busybox httpd -f -p 8080 -h /srv");
                vm.waitForHttp(8080, "/index.html", Duration.ofSeconds(60));
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + vm.hostPort(8080) + "/index.html"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("hello from musl\n");
            }
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class A_docker_save_archive {

        V86Machine vm;

        @BeforeAll
        void boot() {
            Path archive = DebianRootfsTarballs.dockerSave(busyboxMusl, ARCHIVES.resolve("app-i386-docker.tar"));
            vm = V86Machine.start("oci:file:" + archive);
        }

        @AfterAll
        void close() {
            if (vm != null) {
                vm.close();
            }
        }

        @Test
        void has_its_layers_applied_in_order_with_the_whiteout() {
            assertThat(vm.exec("cat /etc/app.conf").stdout()).isEqualTo("greeting=hello from the top layer\n");
            assertThat(vm.exec("[ -e /etc/os-release ] || echo deleted by the top layer").stdout())
                    .isEqualTo("deleted by the top layer\n");
            assertThat(vm.exec("uname -m").stdout()).isEqualTo("i686\n");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class A_glibc_userland_with_dash_only {

        V86Machine vm;

        @BeforeAll
        void boot() {
            Path archive = DebianRootfsTarballs.glibcDash(debs, ARCHIVES.resolve("glibc-dash-i386.tar.xz"));
            vm = V86Machine.start("rootfs:" + archive);
        }

        @AfterAll
        void close() {
            if (vm != null) {
                vm.close();
            }
        }

        @Test
        void runs_dash_on_glibc_and_the_protocol_on_the_fallback_busybox() {
            assertThat(vm.exec("readlink /bin/sh; [ -e /lib/ld-linux.so.2 ] && echo glibc").stdout())
                    .isEqualTo("dash\nglibc\n");
            assertThat(vm.exec("cat /etc/os-release").stdout()).contains("glibc and dash");
            assertThat(vm.exec("x=$((6*7)); echo $x").stdout()).isEqualTo("42\n");
            assertThat(vm.exec("command -v mkfifo; command -v cat").stdout())
                    .isEqualTo("/usr/lib/v86unit/bin/mkfifo\n/usr/lib/v86unit/bin/cat\n");
        }
    }
}
