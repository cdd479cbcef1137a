package dev.v86unit.internal.machine;

import dev.v86unit.ExecResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ConfiguredLayersTest {

    private static ExecResult result(int code, String stdout, String stderr) {
        return new ExecResult("/etc/v86unit/first-boot", code, stdout.getBytes(StandardCharsets.UTF_8), stderr.getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(1));
    }

    @Test
    void a_failed_first_boot_names_the_packages_whose_scripts_failed_and_shows_dpkg_s_output() {
        String message = ConfiguredLayers.failure("debian#1", result(1, "Setting up broken (1.0) ...\n",
                "oops: cannot create user\ndpkg: error processing package broken (--configure):\n"
                        + " installed broken package post-installation script subprocess returned error exit status 1\n"
                        + "dpkg: error processing package needs-broken (--configure):\n dependency problems\n"
                        + "Errors were encountered while processing:\n broken\n needs-broken\n"));

        assertThat(message).startsWith("debian#1: the image's first boot could not configure packages broken, needs-broken:")
                .contains("exited with 1", "oops: cannot create user", "Setting up broken (1.0)");
    }

    @Test
    void a_failed_preinst_is_named_too() {
        String message = ConfiguredLayers.failure("debian#2", result(2, "",
                "v86unit: the preinst script of libfoo failed with exit status 2\n"));

        assertThat(message).contains("could not configure package libfoo:", "exited with 2");
    }
}
