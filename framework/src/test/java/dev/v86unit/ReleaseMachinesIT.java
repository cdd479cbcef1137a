package dev.v86unit;

import dev.v86unit.internal.config.Settings;
import dev.v86unit.internal.machine.Machines;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * debian:11, debian:12 and debian:13 boot on bookworm's kernel and run their own glibc and python; prints
 * the start times (cold boots with {@code -Dv86unit.it.coldBoot=true}, as measured for the README). One
 * machine at a time. Tagged slow: on an empty cache the first boots of debian:11 and debian:13 (their
 * maintainer scripts) take 11-13 minutes each on the 2-core machine (README); run it with
 * {@code -Dv86unit.it.excludedGroups=}.
 */
@Tag("slow")
class ReleaseMachinesIT {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "debian:11, 2.31, Python 3.9., 11.",
            "debian:12, 2.36, Python 3.11., 12.",
            "debian:13, 2.41, Python 3.13., 13.",
    })
    void boots_its_own_userland_on_the_shared_kernel(String image, String glibc, String python, String debianVersion) {
        long start = System.nanoTime();
        Machines.imageStore(Settings.load()).get(image);
        System.out.printf("%s: image built or found in %d ms%n", image, (System.nanoTime() - start) / 1_000_000);
        // -Dv86unit.it.coldBoot=true: no snapshot, so that the figure printed is a cold boot's (the README's)
        boolean cold = Boolean.getBoolean("v86unit.it.coldBoot");
        start = System.nanoTime();
        try (V86Machine vm = V86Machine.start(MachineSpec.of(image).withSnapshot(!cold))) {
            long started = (System.nanoTime() - start) / 1_000_000;
            assertThat(vm.exec("uname -r").stdout()).endsWith("-686\n");
            assertThat(vm.exec("cat /etc/debian_version").stdout()).startsWith(debianVersion);
            assertThat(vm.exec("ldd --version | head -1").stdout()).contains(glibc);
            // configured by the image's first boot (its own release's dpkg --configure -a), or from that layer
            assertThat(vm.exec("dpkg-query -W -f '${db:Status-Status}\\n' | sort -u").stdout()).isEqualTo("installed\n");
            assertThat(vm.exec("test -e /etc/v86unit/first-boot || readlink /etc/alternatives/awk").stdout())
                    .isEqualTo("/usr/bin/mawk\n");
            long pythonStart = System.nanoTime();
            assertThat(vm.exec("python3 -V").stdout()).startsWith(python);
            System.out.printf("%s: %s to the control shell in %d ms, python3 -V took %d ms%n", image,
                    cold ? "cold boot" : "start (snapshot)", started,
                    (System.nanoTime() - pythonStart) / 1_000_000);
        }
    }
}
