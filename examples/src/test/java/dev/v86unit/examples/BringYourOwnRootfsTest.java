package dev.v86unit.examples;

import static dev.v86unit.assertj.V86Assertions.assertThat;

import dev.v86unit.V86Machine;
import dev.v86unit.junit.Fixture;
import dev.v86unit.junit.V86Vm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A root filesystem you bring: with Alpine's x86 minirootfs downloaded to {@code build/}, this would read
 * {@code @V86Vm(image = "rootfs:file:build/alpine-minirootfs-3.21.0-x86.tar.gz")}. Here the archive is a
 * busybox + musl userland made from Debian packages by {@link MakeExampleRootfs}: no bash, no glibc. It
 * boots v86unit's kernel, and the control shell, fixtures and resets work as on any other image.
 */
@ExtendWith(MakeExampleRootfs.class)
@V86Vm(image = "rootfs:file:target/rootfs/busybox-musl-i386.tar.gz", resetBetweenTests = true)
@Fixture(from = "classpath:scripts/wordfreq.sh", to = "/usr/local/bin/wordfreq.sh")
class BringYourOwnRootfsTest {

    @Test
    void itIsTheUserlandFromTheArchive(V86Machine vm) {
        assertThat(vm.exec("cat /etc/os-release"))
                .succeeds()
                .stdout().contains("busybox and musl");
        assertThat(vm.exec("/lib/ld-musl-i386.so.1 --version 2>&1; true"))
                .stdout().contains("musl libc (i386)");
    }

    @Test
    void aShellScriptFixtureRunsOnItsBusybox(V86Machine vm) {
        assertThat(vm.exec("printf 'the cat and the dog and THE bird\\n' > /tmp/words.txt"
                + " && sh /usr/local/bin/wordfreq.sh /tmp/words.txt 2"))
                .succeeds()
                .stdout().isEqualTo("3 the\n2 and\n");
    }

    @Test
    void eachTestStartsFromTheSameState(V86Machine vm) {
        assertThat(vm.exec("test -e /root/marker")).fails();
        assertThat(vm.exec("touch /root/marker")).succeeds();
    }
}
