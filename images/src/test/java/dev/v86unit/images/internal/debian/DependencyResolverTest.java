package dev.v86unit.images.internal.debian;

import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.UnknownPackageException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("DependencyResolver chooses a root filesystem's packages")
class DependencyResolverTest {

    private static final String ARCHIVE = "Debian bookworm main (i386)";

    private final List<PackageEntry> archive = new ArrayList<>();

    private PackageEntry pkg(String name, String depends) {
        return pkg(name, depends, "", "", "optional", false);
    }

    private PackageEntry pkg(String name, String depends, String preDepends, String provides, String priority,
                             boolean essential) {
        PackageEntry entry = new PackageEntry(name, "1.0-1", "i386", "pool/main/" + name + "_1.0-1_i386.deb",
                "0".repeat(64), 1000, depends, preDepends, provides, priority, essential, "");
        archive.add(entry);
        return entry;
    }

    private void recommending(String name, String depends, String recommends) {
        archive.add(new PackageEntry(name, "1.0-1", "i386", "pool/main/" + name + "_1.0-1_i386.deb",
                "0".repeat(64), 1000, depends, "", "", "optional", false, recommends));
    }

    @Test
    void should_install_the_recommends_of_explicitly_requested_packages_only_one_level_deep() {
        recommending("tcc", "libc6", "libc6-dev | libc-dev");
        recommending("libc6-dev", "linux-libc-dev", "manpages-dev");
        recommending("python3", "", "python3-docs");
        pkg("libc6", "");
        pkg("linux-libc-dev", "");
        pkg("manpages-dev", "");
        pkg("python3-docs", "");
        List<String> chosen = new DependencyResolver(archive, ARCHIVE).resolve(List.of("python3", "tcc"), List.of("tcc"), "debian")
                .stream().map(PackageEntry::name).toList();
        assertThat(chosen).containsExactly("libc6", "libc6-dev", "linux-libc-dev", "python3", "tcc");
    }

    @Test
    void should_skip_recommends_the_archive_cannot_satisfy() {
        recommending("tool", "", "no-such-package");
        List<String> chosen = new DependencyResolver(archive, ARCHIVE).resolve(List.of("tool"), List.of("tool"), "debian")
                .stream().map(PackageEntry::name).toList();
        assertThat(chosen).containsExactly("tool");
    }

    private List<String> resolve(String... requested) {
        return new DependencyResolver(archive, ARCHIVE).resolve(List.of(requested), "debian").stream()
                .map(PackageEntry::name).toList();
    }

    @Test
    void should_include_every_essential_package_and_the_transitive_dependencies_sorted_by_name() {
        pkg("bash", "base-files (>= 2.1.12), debianutils (>= 5.6-0.1)", "", "", "required", true);
        pkg("base-files", "", "", "", "required", true);
        pkg("debianutils", "libc6 (>= 2.34)", "", "", "required", false);
        pkg("libc6", "libgcc-s1", "", "", "optional", false);
        pkg("libgcc-s1", "gcc-12-base (= 12.2.0-14), libc6 (>= 2.35)", "", "", "optional", false);
        pkg("gcc-12-base", "", "", "", "required", false);
        pkg("python3", "python3.11 (>= 3.11.2-1~)", "", "", "optional", false);
        pkg("python3.11", "libc6", "", "", "optional", false);
        pkg("unrelated", "", "", "", "optional", false);

        assertThat(resolve("python3")).containsExactly("base-files", "bash", "debianutils", "gcc-12-base", "libc6",
                "libgcc-s1", "python3", "python3.11");
    }

    @Test
    void should_follow_pre_depends_and_strip_architecture_qualifiers() {
        pkg("tool", "perl:any", "libzstd1 (>= 1.5.2)", "", "optional", false);
        pkg("libzstd1", "", "", "", "optional", false);
        pkg("perl", "", "", "", "standard", false);

        assertThat(resolve("tool")).containsExactly("libzstd1", "perl", "tool");
    }

    @Test
    void should_end_at_dependency_cycles() {
        pkg("libc6", "libgcc-s1", "", "", "optional", false);
        pkg("libgcc-s1", "libc6", "", "", "optional", false);

        assertThat(resolve("libc6")).containsExactly("libc6", "libgcc-s1");
    }

    @Test
    void should_skip_recommends_and_suggests() {
        archive.add(new PackageEntry("tool", "1", "i386", "pool/tool.deb", "0".repeat(64), 1, "", "", "", "optional",
                false, ""));
        pkg("recommended", "");

        assertThat(resolve("tool")).containsExactly("tool");
    }

    @Nested
    class Alternatives {

        @Test
        void should_take_an_alternative_that_is_already_selected() {
            pkg("init-system-helpers", "usrmerge | usr-is-merged");
            pkg("usrmerge", "perl");
            pkg("perl", "");
            pkg("usr-is-merged", "");

            assertThat(resolve("init-system-helpers", "usr-is-merged"))
                    .containsExactly("init-system-helpers", "usr-is-merged");
        }

        @Test
        void should_otherwise_take_the_first_real_package() {
            pkg("init-system-helpers", "usrmerge | usr-is-merged");
            pkg("usrmerge", "");
            pkg("usr-is-merged", "");

            assertThat(resolve("init-system-helpers")).containsExactly("init-system-helpers", "usrmerge");
        }

        @Test
        void should_skip_alternatives_that_do_not_exist() {
            pkg("tool", "not-in-main | libfoo1");
            pkg("libfoo1", "");

            assertThat(resolve("tool")).containsExactly("libfoo1", "tool");
        }

        @Test
        void should_count_a_selected_provider_as_satisfying_an_alternative() {
            pkg("libpython3.11-stdlib", "media-types | mime-support");
            pkg("media-types", "");
            pkg("mailcap", "", "", "mime-support", "optional", false);

            assertThat(resolve("libpython3.11-stdlib", "mailcap")).containsExactly("libpython3.11-stdlib", "mailcap");
        }
    }

    @Nested
    class VirtualPackages {

        @Test
        void should_prefer_a_provider_that_is_already_selected() {
            pkg("groff", "awk");
            pkg("gawk", "", "", "awk", "optional", false);
            pkg("mawk", "", "", "awk", "required", false);

            assertThat(resolve("groff", "gawk")).containsExactly("gawk", "groff");
        }

        @Test
        void should_otherwise_take_the_provider_with_the_highest_priority_then_the_first_name() {
            pkg("groff", "awk");
            pkg("gawk", "", "", "awk", "optional", false);
            pkg("original-awk", "", "", "awk (= 2012)", "optional", false);
            pkg("mawk", "", "", "awk", "required", false);
            pkg("busybox-awk", "", "", "awk", "extra", false);

            assertThat(resolve("groff")).containsExactly("groff", "mawk");

            archive.removeIf(p -> p.name().equals("mawk"));
            assertThat(resolve("groff")).containsExactly("gawk", "groff");
        }

        @Test
        void should_accept_a_requested_name_that_only_a_provider_has() {
            pkg("mawk", "", "", "awk", "required", false);

            assertThat(resolve("awk")).containsExactly("mawk");
        }
    }

    @Nested
    class Failures {

        @Test
        void should_name_an_unknown_package_the_suite_and_the_image() {
            pkg("bash", "");

            assertThatThrownBy(() -> resolve("bash", "no-such-pkg"))
                    .isInstanceOf(UnknownPackageException.class)
                    .isInstanceOf(ImageBuildException.class)
                    .hasMessage("Package 'no-such-pkg' is not in Debian bookworm main (i386), requested for image"
                            + " 'debian'")
                    .extracting(e -> ((UnknownPackageException) e).packageNames())
                    .isEqualTo(List.of("no-such-pkg"));
        }

        @Test
        void should_name_all_unknown_packages_at_once() {
            assertThatThrownBy(() -> resolve("zzz", "aaa"))
                    .hasMessage("Packages 'aaa', 'zzz' are not in Debian bookworm main (i386), requested for image"
                            + " 'debian'");
        }

        @Test
        void should_name_the_dependency_that_cannot_be_satisfied_and_who_needs_it() {
            pkg("python3", "python3.11");
            pkg("python3.11", "libgone1 | libgone2 (>= 2)");

            assertThatThrownBy(() -> resolve("python3"))
                    .isExactlyInstanceOf(ImageBuildException.class)
                    .hasMessage("Cannot satisfy 'Depends: libgone1 | libgone2' of package python3.11 <- python3: no"
                            + " such package in Debian bookworm main (i386)");
        }
    }

    @Test
    void should_parse_relation_fields_into_names() {
        assertThat(Relations.parse("libc6 (>= 2.34), awk | mawk:any (>= 1.3) [i386], perl:any"))
                .containsExactly(List.of("libc6"), List.of("awk", "mawk"), List.of("perl"));
        assertThat(Relations.parse("")).isEmpty();
        assertThat(Relations.names("awk, c-shell (= 1)")).containsExactly("awk", "c-shell");
    }
}
