package dev.v86unit.images.testing;

import dev.v86unit.images.ImageStore;
import dev.v86unit.images.internal.deb.DebEntry;
import dev.v86unit.images.internal.deb.DebExtractor;
import dev.v86unit.images.internal.debian.DebCache;
import dev.v86unit.images.internal.debian.DebianArchive;
import dev.v86unit.images.internal.debian.DebianKeyring;
import dev.v86unit.images.internal.debian.InReleaseVerifier;
import dev.v86unit.images.internal.debian.JdkHttpSource;
import dev.v86unit.images.internal.debian.PackagesIndex;
import dev.v86unit.images.internal.debian.VerifiedDownloader;
import dev.v86unit.images.internal.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Root filesystem archives for tests, made from packages of Debian's signed archive (the sources a
 * user would use, Alpine's minirootfs or a registry, are not reachable from every build machine):
 * <ul>
 *   <li>{@link #busyboxMusl}: busybox (static) as the userland with musl's libc and loader, no bash, no
 *       glibc, and deliberately without {@code mount}, {@code setsid}, {@code mkfifo}, {@code renice} and
 *       {@code dd}, which v86unit's fallback busybox must then supply: the shape of Alpine's minirootfs;</li>
 *   <li>{@link #glibcDash}: glibc with dash as {@code /bin/sh} and nothing else;</li>
 *   <li>{@link #dockerSave}: a {@code docker save} archive for linux/386 of such a tar and a layer on top.</li>
 * </ul>
 * Each is written once to its target path (atomically) and reused while it is there.
 */
public final class DebianRootfsTarballs {

    /** busybox applets the busybox+musl userland links; the protocol's other commands come from the fallback. */
    static final List<String> APPLETS = List.of("sh", "ash", "ls", "cat", "echo", "mkdir", "rm", "cp", "mv", "ln",
            "grep", "sed", "uname", "id", "wc", "head", "tail", "sleep", "chmod", "env", "ps", "printf", "test", "true",
            "false", "hostname", "stty", "tr", "sort", "date", "touch", "find", "cut", "kill", "seq", "md5sum", "vi",
            "dirname", "basename", "which", "awk", "uniq");

    private DebianRootfsTarballs() {
    }

    /** A tar.gz of busybox-static and musl from bookworm, as {@code target}; packages cached in {@code debs}. */
    public static Path busyboxMusl(Path debs, Path target) {
        if (Files.isRegularFile(target)) {
            return target;
        }
        TestTar tar = base();
        Packages packages = new Packages(debs, Set.of("busybox-static", "musl"));
        packages.add(tar, "busybox-static", path -> path.equals("bin/busybox"));
        packages.add(tar, "musl", path -> !path.startsWith("usr/share/"));
        for (String applet : APPLETS) {
            tar.symlink("./bin/" + applet, "busybox");
        }
        tar.file("./etc/os-release", "ID=v86unit-test\nNAME=\"busybox and musl from Debian packages\"\n");
        return write(TestTar.gzip(tar.tar()), target);
    }

    /** A tar.xz of libc6 and dash from bookworm, {@code /bin/sh} -> dash, as {@code target}. */
    public static Path glibcDash(Path debs, Path target) {
        if (Files.isRegularFile(target)) {
            return target;
        }
        TestTar tar = base();
        Packages packages = new Packages(debs, Set.of("libc6", "libgcc-s1", "dash"));
        packages.add(tar, "libgcc-s1", path -> !path.startsWith("usr/share/"));
        packages.add(tar, "libc6", path -> !path.startsWith("usr/share/") && !path.startsWith("usr/lib/i386-linux-gnu/gconv"));
        packages.add(tar, "dash", path -> path.startsWith("bin/") || path.startsWith("usr/bin/"));
        tar.symlink("./bin/sh", "dash");
        tar.file("./etc/os-release", "ID=v86unit-test\nNAME=\"glibc and dash from Debian packages\"\n");
        return write(TestTar.xz(tar.tar()), target);
    }

    /**
     * {@code docker save} output for linux/386: the root filesystem tar (gzip-compressed or not) as the
     * first layer, and a second layer that adds {@code /etc/app.conf} and deletes {@code /etc/os-release}
     * with a whiteout.
     */
    public static Path dockerSave(Path rootfsTar, Path target) {
        if (Files.isRegularFile(target)) {
            return target;
        }
        try {
            byte[] base = Files.readAllBytes(rootfsTar);
            byte[] top = new TestTar().dir("etc", 0755).file("etc/.wh.os-release", "")
                    .file("etc/app.conf", "greeting=hello from the top layer\n").tar();
            return write(ContainerImages.dockerSave(ContainerImages.config("linux", "386"),
                    List.of(base, TestTar.gzip(top))), target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TestTar base() {
        TestTar tar = new TestTar().dir("./", 0755);
        for (String dir : List.of("bin", "sbin", "etc", "lib", "usr", "usr/bin", "usr/sbin", "usr/lib", "var", "home",
                "proc", "sys", "dev", "run", "mnt")) {
            tar.dir("./" + dir, 0755);
        }
        tar.dir("./root", 0700).dir("./tmp", 01777);
        tar.file("./etc/passwd", "root:x:0:0:root:/root:/bin/sh\n").file("./etc/group", "root:x:0:\n");
        return tar;
    }

    private static Path write(byte[] bytes, Path target) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path temp = AtomicFiles.tempSibling(target);
            Files.write(temp, bytes);
            AtomicFiles.moveAtomically(temp, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target, e);
        }
    }

    /** Verified downloads of bookworm i386 packages, through the same chain as image builds. */
    private static final class Packages {
        private final DebCache cache;
        private final PackagesIndex index;

        Packages(Path debs, Set<String> names) {
            VerifiedDownloader downloader = new VerifiedDownloader(new JdkHttpSource());
            DebianArchive archive = new DebianArchive(ImageStore.DEFAULT_DEBIAN_MIRROR, downloader,
                    new InReleaseVerifier(DebianKeyring.builtIn()));
            this.index = archive.packages(archive.release("bookworm"), "bookworm", "main", "i386", names::contains);
            this.cache = new DebCache(debs, archive, downloader);
        }

        void add(TestTar tar, String name, java.util.function.Predicate<String> wanted) {
            Path deb = cache.get(index.requireNewest(name));
            DebExtractor.unpack(deb, Set.of(), (entry, content) -> {
                if (entry.path().isEmpty() || !wanted.test(entry.path())) {
                    return;
                }
                String path = "./" + entry.path();
                switch (entry.type()) {
                    case DIRECTORY -> tar.dir(path, entry.mode());
                    case FILE -> tar.file(path, entry.mode(), content.readNBytes((int) entry.size()));
                    case SYMLINK -> tar.symlink(path, entry.linkTarget());
                    case HARDLINK -> tar.hardlink(path, "./" + entry.linkTarget());
                    case OTHER -> {
                    }
                }
            });
        }
    }
}
