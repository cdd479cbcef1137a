package dev.v86unit.images.internal.rootfs;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The parts of a fresh install's {@code postinst configure} runs that the guest needs, done ahead of time
 * in the tree instead of by running the scripts (which would need the guest or root). Each step names
 * the script it stands in for. Users, groups and alternatives have their own classes
 * ({@link Accounts}, {@link Alternatives}); what is left for the guest goes into {@link FirstBoot}.
 */
public final class ScriptlessConfigure {

    /** {@code install_from_default}-style copies: only if the source exists and the target does not. */
    record DefaultFile(String from, String to) {
    }

    static final List<DefaultFile> DEFAULT_FILES = List.of(
            new DefaultFile("usr/share/base-files/dot.profile", "root/.profile"),  // base-files
            new DefaultFile("usr/share/base-files/dot.bashrc", "root/.bashrc"),    // base-files
            new DefaultFile("usr/share/base-files/profile", "etc/profile"),        // base-files
            new DefaultFile("usr/share/base-files/motd", "etc/motd"),              // base-files
            new DefaultFile("usr/share/libc-bin/nsswitch.conf", "etc/nsswitch.conf")); // libc-bin

    /** base-files' install_directory and install_local_dir. */
    static final List<String> BASE_DIRECTORIES = List.of("mnt", "srv", "opt", "etc/opt", "var/opt", "media",
            "usr/local", "usr/local/share", "usr/local/share/man", "usr/local/bin", "usr/local/games",
            "usr/local/lib", "usr/local/include", "usr/local/sbin", "usr/local/src", "usr/local/etc");

    private ScriptlessConfigure() {
    }

    /** Needs {@code etc/group} in place (see {@link Accounts}) for the group-owned files. */
    public static void apply(Rootfs rootfs) {
        for (DefaultFile copy : DEFAULT_FILES) {
            if (!rootfs.present(copy.to())) {
                rootfs.tree().follow(copy.from()).filter(FsTree.File.class::isInstance).map(FsTree.File.class::cast)
                        .ifPresent(source -> rootfs.file(copy.to(), source.mode(), rootfs.read(copy.from()).orElseThrow()));
            }
        }
        if (rootfs.exists("usr/share/base-files")) {
            baseFiles(rootfs);
        }
        if (rootfs.exists("usr/bin/login")) {
            // login's postinst
            empty(rootfs, "var/log/faillog", 0644, 0);
            empty(rootfs, "etc/subuid", 0644, 0);
            empty(rootfs, "etc/subgid", 0644, 0);
        }
        if (rootfs.exists("usr/share/debianutils/shells")) {
            Shells.write(rootfs); // debianutils' postinst: update-shells
        }
        if (rootfs.exists("usr/bin/python3") && !rootfs.present("etc/python3/debian_config")) {
            // python3's postinst (new_config_file)
            rootfs.text("etc/python3/debian_config", 0644, "[DEFAULT]\nbyte-compile = standard\n");
        }
        if (rootfs.exists("usr/share/zoneinfo/Etc/UTC") && !rootfs.present("etc/localtime")) {
            // tzdata's postinst, answering its debconf question with the default
            rootfs.symlink("etc/localtime", "/usr/share/zoneinfo/Etc/UTC");
            rootfs.text("etc/timezone", 0644, "Etc/UTC\n");
        }
        if (!rootfs.present("bin/sh") && rootfs.exists("bin/dash")) {
            rootfs.symlink("bin/sh", "dash"); // dash ships bin/sh since bookworm; older ones made it in postinst
        }
    }

    private static void baseFiles(Rootfs rootfs) {
        BASE_DIRECTORIES.forEach(dir -> rootfs.dir(dir, 0755));
        rootfs.dir("var/mail", 02775, 0, Accounts.gid(rootfs, "mail"));
        if (!rootfs.present("var/spool/mail")) {
            rootfs.symlink("var/spool/mail", "../mail");
        }
        if (!rootfs.present("usr/local/man")) {
            rootfs.symlink("usr/local/man", "share/man");
        }
        if (rootfs.exists("etc/dpkg/origins/debian") && !rootfs.present("etc/dpkg/origins/default")) {
            rootfs.symlink("etc/dpkg/origins/default", "debian");
        }
        // migrate_directory /var/run /run. base-files also makes /var/lock a link to /run/lock, but the
        // guest mounts an empty tmpfs on /run, so /run/lock would not exist: /var/lock stays a directory.
        if (rootfs.tree().get("var/run").orElse(null) instanceof FsTree.Dir dir && dir.children().isEmpty()) {
            rootfs.remove("var/run");
            rootfs.symlink("var/run", "/run");
        }
        long utmp = Accounts.gid(rootfs, "utmp");
        empty(rootfs, "var/log/wtmp", 0664, utmp);
        empty(rootfs, "var/log/btmp", 0660, utmp);
        empty(rootfs, "var/log/lastlog", 0664, utmp);
    }

    private static void empty(Rootfs rootfs, String path, int mode, long gid) {
        if (!rootfs.present(path)) {
            rootfs.file(path, mode, 0, gid, "".getBytes(StandardCharsets.UTF_8));
        }
    }
}
