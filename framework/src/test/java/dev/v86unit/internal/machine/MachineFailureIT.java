package dev.v86unit.internal.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v86unit.MachineBootException;
import dev.v86unit.MachineSpec;
import dev.v86unit.V86Exception;
import dev.v86unit.V86Machine;
import dev.v86unit.images.Image;
import dev.v86unit.images.UnknownImageException;
import dev.v86unit.internal.config.Settings;
import dev.v86unit.internal.host.HostRuntime;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Boots that fail and guests that crash: clear errors with the console lines, and no stuck machine. */
class MachineFailureIT {

    static Settings settings;
    static Image busybox;
    static HostRuntime runtime;

    @BeforeAll
    static void image() {
        settings = Settings.load();
        busybox = Machines.imageStore(settings).get("busybox");
        runtime = HostRuntime.prepare(settings);
    }

    private static DefaultV86Machine machine(Image image, Duration bootTimeout) {
        return new DefaultV86Machine("failing#1", MachineSpec.of(image.name()), image, runtime, bootTimeout, Duration.ofSeconds(30),
                Settings.DEFAULT_OUTPUT_LIMIT);
    }

    @Test
    void a_boot_past_its_timeout_is_reported_with_the_setting_to_raise() {
        try (DefaultV86Machine machine = machine(busybox, Duration.ofMillis(300))) {
            assertThatThrownBy(() -> machine.coldBoot(null))
                    .isInstanceOf(MachineBootException.class)
                    .hasMessageContaining("did not boot within 300 ms")
                    .hasMessageContaining("v86unit.boot.timeout");
        }
    }

    @Test
    void a_kernel_panic_at_boot_fails_at_once_with_the_panic_in_the_console_lines() {
        Image broken = new Image(busybox.name(), busybox.id(), busybox.kernel(), busybox.initrd(), busybox.bios(),
                busybox.cmdline() + " rdinit=/no-such-init root=/dev/no-such-disk", busybox.memoryMb(), busybox.manifest(), null, null, busybox.kernelElf());
        try (DefaultV86Machine machine = machine(broken, Duration.ofMinutes(3))) {
            assertThatThrownBy(() -> machine.coldBoot(null))
                    .isInstanceOfSatisfying(MachineBootException.class, e -> {
                        assertThat(e.getMessage()).contains("failed to boot: the guest kernel panicked");
                        assertThat(e.consoleTail()).anySatisfy(line -> assertThat(line).contains("Kernel panic"));
                    });
        }
    }

    @Test
    void a_kernel_panic_during_a_command_is_an_error_and_the_next_command_gets_a_fresh_machine() {
        try (V86Machine vm = V86Machine.start("busybox")) {
            assertThat(vm.exec("echo before > /tmp/state").exitCode()).isZero();
            assertThatThrownBy(() -> vm.exec("echo c > /proc/sysrq-trigger"))
                    .isInstanceOf(V86Exception.class)
                    .hasMessageContaining("echo c > /proc/sysrq-trigger")
                    .hasMessageContaining("panicked")
                    .hasMessageContaining("sysrq triggered crash");
            assertThat(vm.exec("cat /tmp/state 2>&1; echo alive").stdout()).contains("alive").doesNotContain("before");
        }
    }

    @Test
    void an_unknown_image_is_refused_before_anything_starts() {
        assertThatThrownBy(() -> V86Machine.start("no-such-image"))
                .isInstanceOf(UnknownImageException.class)
                .hasMessage("Unknown image 'no-such-image'. Available images: "
                        + "busybox, debian, debian:11, debian:12, debian:13, debian:bookworm, debian:bullseye, debian:trixie, rootfs:<classpath:|file:|path of an i386 root filesystem tar[.gz|.xz|.zst]>, oci:<classpath:|file:|path of a linux/386 docker save or OCI layout tar>");
    }

    @Test
    void a_missing_node_is_refused_with_the_setting_to_fix_it() {
        String previous = System.getProperty(Settings.NODE);
        System.setProperty(Settings.NODE, "/nonexistent/node-binary");
        try {
            assertThatThrownBy(() -> V86Machine.start("busybox"))
                    .isInstanceOf(V86Exception.class)
                    .hasMessageContaining("Node.js not found")
                    .hasMessageContaining("v86unit.node")
                    .hasMessageContaining("V86UNIT_NODE");
        } finally {
            if (previous == null) {
                System.clearProperty(Settings.NODE);
            } else {
                System.setProperty(Settings.NODE, previous);
            }
        }
    }
}
