package dev.v86unit.images.internal.build;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RecipeTest {

    private final Recipe busybox = BuiltInRecipes.find("busybox").orElseThrow();

    private Recipe with(byte[] init, String cmdline, int memoryMb, int version) {
        return new Recipe(busybox.name(), version, busybox.suite(), busybox.component(), busybox.architecture(),
                busybox.kernelPackage(), busybox.packages(), busybox.modules(), init, cmdline, memoryMb);
    }

    @Test
    void should_have_a_stable_key_that_names_the_directory() {
        Recipe same = with(busybox.init(), busybox.cmdline(), busybox.memoryMb(), busybox.version());

        assertThat(busybox.key()).matches("[0-9a-f]{64}").isEqualTo(same.key());
        assertThat(busybox.directoryName()).isEqualTo("busybox-" + busybox.key().substring(0, 16));
    }

    @Test
    void should_change_the_key_with_anything_that_changes_the_output() {
        byte[] otherInit = (new String(busybox.init(), StandardCharsets.UTF_8) + "# changed\n")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(with(otherInit, busybox.cmdline(), 128, 1).key()).isNotEqualTo(busybox.key());
        assertThat(with(busybox.init(), busybox.cmdline() + " quiet", 128, 1).key()).isNotEqualTo(busybox.key());
        assertThat(with(busybox.init(), busybox.cmdline(), 256, 1).key()).isNotEqualTo(busybox.key());
        assertThat(with(busybox.init(), busybox.cmdline(), 128, 2).key()).isNotEqualTo(busybox.key());
    }

    @Test
    void should_boot_with_the_fast_command_line_and_128_mb() {
        assertThat(busybox.cmdline()).isEqualTo("console=ttyS0 loglevel=1 cryptomgr.notests noisapnp mitigations=off"
                + " tsc=reliable no_timer_check audit=0 apparmor=0 security=none lsm= nokaslr random.trust_cpu=on init_on_free=1");
        assertThat(busybox.memoryMb()).isEqualTo(128);
        assertThat(new String(busybox.init(), StandardCharsets.UTF_8)).startsWith("#!/bin/sh\n")
                .contains("/etc/v86unit/modules");
    }

    @Test
    void should_not_expose_its_init_bytes_for_modification() {
        busybox.init()[0] = 'X';

        assertThat(busybox.init()[0]).isEqualTo((byte) '#');
    }
}
