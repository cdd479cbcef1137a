package dev.v86unit.images.internal.rootfs;

import dev.v86unit.images.internal.rootfs.Alternatives.Alternative;
import dev.v86unit.images.internal.rootfs.Alternatives.Slave;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Alternatives are read from postinst scripts and linked without update-alternatives")
class AlternativesTest {

    /** mawk 1.3.4.20200120-3.1's postinst, verbatim. */
    static final String MAWK_POSTINST = """
            #!/bin/sh
            set -e

            if [ "$1" = "configure" ]; then
                    update-alternatives --install /usr/bin/awk awk /usr/bin/mawk 5 \\
                        --slave /usr/share/man/man1/awk.1.gz awk.1.gz /usr/share/man/man1/mawk.1.gz \\
                        --slave /usr/bin/nawk nawk /usr/bin/mawk \\
                        --slave /usr/share/man/man1/nawk.1.gz nawk.1.gz /usr/share/man/man1/mawk.1.gz
            fi
            """;

    @Nested
    class Parsing {

        @Test
        void should_read_the_master_and_its_slaves_across_continuation_lines() {
            assertThat(Alternatives.parse(MAWK_POSTINST)).containsExactly(new Alternative("/usr/bin/awk", "awk",
                    "/usr/bin/mawk", 5, List.of(
                    new Slave("/usr/share/man/man1/awk.1.gz", "awk.1.gz", "/usr/share/man/man1/mawk.1.gz"),
                    new Slave("/usr/bin/nawk", "nawk", "/usr/bin/mawk"),
                    new Slave("/usr/share/man/man1/nawk.1.gz", "nawk.1.gz", "/usr/share/man/man1/mawk.1.gz"))));
        }

        @Test
        void should_skip_options_before_install_and_read_calls_inside_functions() {
            String less = """
                    case "$1" in
                      configure)
                        update-alternatives --quiet --install /usr/bin/pager pager \\
                          /usr/bin/less 77 --slave /usr/share/man/man1/pager.1.gz \\
                          pager.1.gz /usr/share/man/man1/less.1.gz
                      ;;
                    esac
                    """;
            String debianutils = """
                    ua() {
                    \tupdate-alternatives --install /usr/bin/which which /usr/bin/which.debianutils 0 \\
                    \t\t--slave /usr/share/man/man1/which.1.gz which.1.gz /usr/share/man/man1/which.debianutils.1.gz
                    }
                    """;

            assertThat(Alternatives.parse(less)).extracting(Alternative::name, Alternative::path, Alternative::priority)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("pager", "/usr/bin/less", 77));
            assertThat(Alternatives.parse(debianutils)).extracting(Alternative::link)
                    .containsExactly("/usr/bin/which");
        }

        @Test
        void should_skip_calls_built_from_variables_and_slaves_after_a_command_substitution() {
            String procps = """
                    check_alternatives() {
                      if [ -e "$BINPATH"/"$BINNAME".procps ] ; then
                    \tupdate-alternatives --install "$BINPATH"/"$BINNAME" "$BINNAME" \\
                    \t    "$BINPATH"/"$BINNAME".procps 50
                      fi
                    }
                    update-alternatives --remove w /usr/bin/w.procps
                    """;
            String xz = """
                    update-alternatives --install /usr/bin/lzma lzma /usr/bin/xz 20 $(
                    \tslave /usr/share/man/man1 lzma.1.gz xz.1.gz
                    \tslave /usr/bin unlzma unxz
                    )
                    """;

            assertThat(Alternatives.parse(procps)).isEmpty();
            assertThat(Alternatives.parse(xz)).containsExactly(
                    new Alternative("/usr/bin/lzma", "lzma", "/usr/bin/xz", 20, List.of()));
            assertThat(Alternatives.parse("# update-alternatives --install /a a /b 1\n")).isEmpty();
        }
    }

    @Nested
    class Linking {

        @TempDir
        Path store;

        private Rootfs rootfs() {
            Rootfs rootfs = new Rootfs(new ContentStore(store));
            rootfs.text("usr/bin/mawk", 0755, "mawk");
            rootfs.text("usr/bin/gawk", 0755, "gawk");
            rootfs.text("usr/bin/more", 0755, "more");
            rootfs.text("usr/bin/less", 0755, "less");
            return rootfs;
        }

        @Test
        void should_link_the_highest_priority_per_name_through_etc_alternatives() {
            Rootfs rootfs = rootfs();
            List<Alternative> all = List.of(
                    new Alternative("/usr/bin/pager", "pager", "/bin/more", 50, List.of()),
                    new Alternative("/usr/bin/awk", "awk", "/usr/bin/mawk", 5,
                            List.of(new Slave("/usr/bin/nawk", "nawk", "/usr/bin/mawk"),
                                    new Slave("/usr/share/man/man1/awk.1.gz", "awk.1.gz", "/usr/share/man/man1/mawk.1.gz"))),
                    new Alternative("/usr/bin/pager", "pager", "/usr/bin/less", 77, List.of()),
                    new Alternative("/usr/bin/awk", "awk", "/usr/bin/gawk", 10, List.of()),
                    new Alternative("/usr/bin/vi", "vi", "/usr/bin/vim.basic", 30, List.of()));

            Map<String, String> chosen = Alternatives.apply(all, rootfs);

            assertThat(chosen).containsExactly(Map.entry("awk", "/usr/bin/gawk"), Map.entry("pager", "/usr/bin/less"));
            assertThat(rootfs.tree().get("usr/bin/awk")).contains(new FsTree.Symlink("/etc/alternatives/awk",
                    Rootfs.FIXED_MTIME, 0, 0));
            assertThat(rootfs.tree().get("etc/alternatives/awk")).contains(new FsTree.Symlink("/usr/bin/gawk",
                    Rootfs.FIXED_MTIME, 0, 0));
            assertThat(rootfs.read("bin/awk")).as("awk resolves").hasValueSatisfying(b -> assertThat(b).asString()
                    .isEqualTo("gawk"));
            assertThat(rootfs.tree().get("usr/bin/nawk")).as("slave of the losing mawk").isEmpty();
            assertThat(rootfs.tree().get("usr/bin/vi")).as("path not installed").isEmpty();
        }

        @Test
        void should_create_slaves_whose_path_exists_only() {
            Rootfs rootfs = rootfs();

            Alternatives.apply(Alternatives.parse(MAWK_POSTINST), rootfs);

            assertThat(rootfs.read("usr/bin/nawk")).hasValueSatisfying(b -> assertThat(b).asString().isEqualTo("mawk"));
            assertThat(rootfs.tree().get("usr/share/man/man1/awk.1.gz")).isEmpty();
        }

        @Test
        void should_leave_a_real_file_at_the_link_alone() {
            Rootfs rootfs = rootfs();
            rootfs.text("usr/bin/awk", 0755, "a real awk");

            Map<String, String> chosen = Alternatives.apply(Alternatives.parse(MAWK_POSTINST), rootfs);

            assertThat(chosen).isEmpty();
            assertThat(rootfs.read("usr/bin/awk")).hasValueSatisfying(b -> assertThat(b).asString()
                    .isEqualTo("a real awk"));
        }
    }
}
