package dev.v86unit.images.testing;

import dev.v86unit.images.internal.build.BuiltInRecipes;
import dev.v86unit.images.internal.build.Recipe;
import dev.v86unit.images.internal.build.RootfsRecipe;

import java.util.List;

/**
 * A tiny Debian userland for offline root filesystem builds, added to a {@link FakeArchive}: the Essential
 * packages (base-files, base-passwd, dash, debianutils) with the files the builder configures from, plus
 * libc6, mawk (providing awk, with its real postinst), python3 -> python3.11, bzip2 (hard links) and bc.
 */
public final class FakeRootfsPackages {

    public static final String MAWK_POSTINST = """
            #!/bin/sh
            set -e
            if [ "$1" = "configure" ]; then
                    update-alternatives --install /usr/bin/awk awk /usr/bin/mawk 5 \\
                        --slave /usr/share/man/man1/awk.1.gz awk.1.gz /usr/share/man/man1/mawk.1.gz \\
                        --slave /usr/bin/nawk nawk /usr/bin/mawk
            fi
            """;

    private FakeRootfsPackages() {
    }

    /** The debian recipe, asking for {@code python3} and {@code bzip2} from this archive instead of its real list. */
    public static Recipe recipe() {
        Recipe debian = BuiltInRecipes.find("debian").orElseThrow();
        return new Recipe(debian.name(), debian.version(), debian.suite(), debian.component(), debian.architecture(),
                debian.kernelPackage(), debian.packages(), debian.modules(), debian.init(), debian.cmdline(),
                debian.memoryMb(), new RootfsRecipe(List.of("python3", "bzip2"), List.of(), debian.rootfs().guestInit()));
    }

    public static void addTo(FakeArchive archive) {
        archive.addPackage("base-files", "12.4", "Essential: yes\nPriority: required\n", FakeDeb.builder()
                .mtime(1_783_019_100L)
                .dir("bin", 0755).dir("etc", 0755).dir("etc/dpkg", 0755).dir("etc/dpkg/origins", 0755)
                .file("etc/dpkg/origins/debian", 0644, "Vendor: Debian\n")
                .file("etc/machine-id", 0444, "0123456789abcdef0123456789abcdef\n")
                .dir("root", 0700).dir("tmp", 01777).dir("usr", 0755).dir("usr/share", 0755)
                .dir("usr/share/base-files", 0755)
                .file("usr/share/base-files/profile", 0644, "PATH=/usr/bin\n")
                .file("usr/share/base-files/dot.profile", 0644, "# ~/.profile\n")
                .file("usr/share/base-files/dot.bashrc", 0644, "# ~/.bashrc\n")
                .file("usr/share/base-files/motd", 0644, "Debian\n")
                .dir("usr/share/doc", 0755).dir("usr/share/doc/base-files", 0755)
                .file("usr/share/doc/base-files/copyright", 0644, "licence\n")
                .dir("var", 0755).dir("var/run", 0755).dir("var/lib", 0755)
                .control("control", "Package: base-files\nVersion: 12.4\nEssential: yes\n")
                .build());
        archive.addPackage("base-passwd", "3.6.1", "Essential: yes\nPriority: required\n", FakeDeb.builder()
                .dir("usr", 0755).dir("usr/share", 0755).dir("usr/share/base-passwd", 0755)
                .file("usr/share/base-passwd/passwd.master", 0644, "root:*:0:0:root:/root:/bin/bash\n"
                        + "nobody:*:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")
                .file("usr/share/base-passwd/group.master", 0644, "root:*:0:\nmail:*:8:\nshadow:*:42:\nutmp:*:43:\n")
                .build());
        archive.addPackage("dash", "0.5.12-2", "Essential: yes\nPriority: required\nDepends: libc6\n",
                FakeDeb.builder()
                        .dir("bin", 0755).file("bin/dash", 0755, "dash binary").symlink("bin/sh", "dash").build());
        archive.addPackage("debianutils", "5.7", "Essential: yes\nPriority: required\n", FakeDeb.builder()
                .dir("usr", 0755).dir("usr/bin", 0755).file("usr/bin/which.debianutils", 0755, "which script")
                .dir("usr/share", 0755).dir("usr/share/debianutils", 0755)
                .file("usr/share/debianutils/shells", 0644, "# /etc/shells: valid login shells\n/bin/sh\n")
                .dir("usr/share/debianutils/shells.d", 0755)
                .control("postinst", "update-alternatives --install /usr/bin/which which /usr/bin/which.debianutils 0"
                        + " \\\n  --slave /usr/share/man/man1/which.1.gz which.1.gz /usr/share/man/man1/w.1.gz\n")
                .build());
        archive.addPackage("libc6", "2.36-9", "Priority: optional\nDepends: libgcc-s1\n", FakeDeb.builder()
                .dir("lib", 0755).dir("lib/i386-linux-gnu", 0755)
                .file("lib/i386-linux-gnu/libc.so.6", 0755, "libc")
                .dir("usr", 0755).dir("usr/share", 0755).dir("usr/share/man", 0755)
                .file("usr/share/man/libc.7.gz", 0644, "man page")
                .build());
        archive.addPackage("libgcc-s1", "12.2.0", "Priority: optional\nDepends: libc6 (>= 2.35)\n", FakeDeb.builder()
                .dir("lib", 0755).dir("lib/i386-linux-gnu", 0755)
                .file("lib/i386-linux-gnu/libgcc_s.so.1", 0644, "libgcc").build());
        archive.addPackage("mawk", "1.3.4", "Priority: required\nProvides: awk\nPre-Depends: libc6 (>= 2.34)\n",
                FakeDeb.builder().dir("usr", 0755).dir("usr/bin", 0755).file("usr/bin/mawk", 0755, "mawk binary")
                        .control("postinst", MAWK_POSTINST).build());
        archive.addPackage("python3", "3.11.2-1", "Priority: optional\nDepends: python3.11 (>= 3.11.2), awk\n",
                FakeDeb.builder().dir("usr", 0755).dir("usr/bin", 0755).symlink("usr/bin/python3", "python3.11")
                        .build());
        archive.addPackage("python3.11", "3.11.2-6", "Priority: optional\nDepends: libc6\n", FakeDeb.builder()
                .dir("usr", 0755).dir("usr/bin", 0755).file("usr/bin/python3.11", 0755, "python binary").build());
        archive.addPackage("bzip2", "1.0.8-5", "Priority: optional\nDepends: libc6\n", FakeDeb.builder()
                .dir("bin", 0755).file("bin/bunzip2", 0755, "bzip2 binary").hardlink("bin/bzcat", "bin/bunzip2")
                .fifo("bin/not-a-file").build());
        archive.addPackage("bc", "1.07.1-3", "Priority: optional\nDepends: libc6\n", FakeDeb.builder()
                .dir("usr", 0755).dir("usr/bin", 0755).file("usr/bin/bc", 0755, "bc binary").build());
    }
}
