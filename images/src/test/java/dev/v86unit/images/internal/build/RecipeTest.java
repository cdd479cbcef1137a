package dev.v86unit.images.internal.build;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecipeTest {

    private final Recipe busybox = BuiltInRecipes.find("busybox").orElseThrow();

    private Recipe with(byte[] init, String cmdline, int memoryMb, int version) {
        return new Recipe(busybox.name(), version, busybox.suite(), busybox.component(), busybox.architecture(),
                busybox.kernelPackage(), busybox.packages(), busybox.modules(), init, cmdline, memoryMb, null);
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
                + " tsc=reliable no_timer_check audit=0 apparmor=0 security=none lsm= nokaslr random.trust_cpu=on init_on_free=1"
                + " initcall_blacklist=tracer_init_tracefs,crypto_kdf108_init,blake2s_mod_init,load_system_certificate_list");
        assertThat(busybox.memoryMb()).isEqualTo(128);
        assertThat(new String(busybox.init(), StandardCharsets.UTF_8)).startsWith("#!/bin/sh\n")
                .contains("/etc/v86unit/modules");
    }

    @Nested
    class Debian {

        private final Recipe debian = BuiltInRecipes.find("debian").orElseThrow();

        @Test
        void should_boot_the_busybox_initramfs_into_a_cached_9p_root_with_256_mb() {
            assertThat(debian.init()).isEqualTo(busybox.init());
            assertThat(debian.kernelPackage().pattern()).isEqualTo(busybox.kernelPackage().pattern());
            assertThat(debian.packages()).isEqualTo(busybox.packages());
            assertThat(debian.modules()).isEqualTo(busybox.modules());
            assertThat(debian.cmdline()).isEqualTo(BuiltInRecipes.FAST_CMDLINE + " v86unit.root=9p v86unit.rootcache=loose");
            assertThat(debian.memoryMb()).isEqualTo(256);
            assertThat(debian.rootfs().packages()).contains("python3", "bash", "coreutils", "grep", "sed",
                    "findutils", "procps", "util-linux", "mawk", "gzip", "bzip2", "xz-utils", "tar", "diffutils",
                    "file", "less", "ncurses-base", "mount");
            assertThat(new String(debian.rootfs().guestInit(), StandardCharsets.UTF_8)).startsWith("#!/bin/sh\n")
                    .contains("first-boot");
        }

        @Test
        void should_give_the_same_key_for_the_same_extra_packages_in_any_order_and_with_duplicates() {
            Recipe a = debian.withExtraPackages(List.of("jq", "bc", "jq"));
            Recipe b = debian.withExtraPackages(List.of("bc", "jq"));

            assertThat(a.rootfs().extraPackages()).containsExactly("bc", "jq");
            assertThat(a.key()).isEqualTo(b.key()).isNotEqualTo(debian.key());
            assertThat(a.directoryName()).startsWith("debian-");
            assertThat(debian.withExtraPackages(List.of("bc")).key()).isNotEqualTo(a.key());
        }

        @Test
        void should_treat_packages_the_image_already_has_as_no_extra() {
            assertThat(debian.withExtraPackages(List.of("python3", "bash")).key()).isEqualTo(debian.key());
        }

        @Test
        void should_refuse_a_name_that_cannot_be_a_debian_package() {
            assertThatThrownBy(() -> debian.withExtraPackages(List.of("bc", "Bad Name")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'Bad Name' is not a Debian package name (lowercase letters, digits, '+', '-' and '.',"
                            + " starting with a letter or digit)");
        }

        @Test
        void should_refuse_extra_packages_for_an_image_without_a_root_filesystem() {
            assertThatThrownBy(() -> busybox.withExtraPackages(List.of("bc")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Image 'busybox' has no root filesystem to add packages to; use 'debian'");
        }

        @Test
        void should_change_the_key_when_the_guest_init_changes() {
            RootfsRecipe other = new RootfsRecipe(debian.rootfs().packages(), List.of(), "#!/bin/sh\n".getBytes(
                    StandardCharsets.UTF_8));
            Recipe changed = new Recipe(debian.name(), debian.version(), debian.suite(), debian.component(),
                    debian.architecture(), debian.kernelPackage(), debian.packages(), debian.modules(), debian.init(),
                    debian.cmdline(), debian.memoryMb(), other);

            assertThat(changed.key()).isNotEqualTo(debian.key());
        }
    }

    @Test
    void should_not_expose_its_init_bytes_for_modification() {
        busybox.init()[0] = 'X';

        assertThat(busybox.init()[0]).isEqualTo((byte) '#');
    }
}
