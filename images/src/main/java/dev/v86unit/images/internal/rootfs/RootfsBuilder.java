package dev.v86unit.images.internal.rootfs;

import dev.v86unit.images.internal.io.Parallel;
import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.internal.io.Human;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns a set of {@code .deb} files into a root filesystem for v86: every package read on all cores
 * ({@link UnpackedDeb}) and placed rootless in name order (see {@link Rootfs}), then configured without maintainer scripts ({@link Accounts},
 * {@link ScriptlessConfigure}, {@link Alternatives}, {@link FirstBoot}), the guest init installed as
 * {@code /sbin/v86unit-init}, and the tree written as v86's {@code fs.json} ({@link FsJson}) with the file
 * contents in the shared {@link ContentStore}.
 */
public final class RootfsBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(RootfsBuilder.class);

    /** Where the initramfs {@code /init} switches root to (merged /usr: really usr/sbin/v86unit-init). */
    public static final String GUEST_INIT = "sbin/v86unit-init";
    /** The mount point v86unit-init binds the root to, for the same exchange path as initramfs images. */
    public static final String EXCHANGE_DIR = "mnt/v86unit";
    static final Set<String> CONTROL_FILES = java.util.stream.Stream.concat(Stream.of("control"),
            DpkgDatabase.INFO_FILES.stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** A package to unpack. */
    public record Package(String name, Path deb) {
    }

    /**
     * What was built.
     *
     * @param alternatives alternative name -> chosen path
     * @param firstBoot    the commands left for the guest's first boot
     */
    public record Result(byte[] json, long files, long bytes, Map<String, String> alternatives,
                         List<String> firstBoot) {
    }

    private RootfsBuilder() {
    }

    public static Result build(List<Package> packages, byte[] guestInit, String hostname, ContentStore store) {
        long start = System.nanoTime();
        List<UnpackedDeb> unpacked = readAll(packages.stream().sorted(Comparator.comparing(Package::name)).toList(),
                store);
        Rootfs rootfs = new Rootfs(store);
        List<Alternatives.Alternative> alternatives = new ArrayList<>();
        List<DpkgDatabase.Unpacked> database = new ArrayList<>();
        for (UnpackedDeb deb : unpacked) {
            deb.placeInto(rootfs);
            database.add(new DpkgDatabase.Unpacked(deb.pkg(), deb.control(), DpkgDatabase.paths(deb.members())));
            if (deb.control().containsKey("postinst")) {
                alternatives.addAll(Alternatives.parse(new String(deb.control().get("postinst"), StandardCharsets.UTF_8)));
            }
        }
        LOG.info("Unpacked {} packages in {} ({} new files, {} written to the store {})", unpacked.size(),
                Human.duration(Duration.ofNanos(System.nanoTime() - start)), store.filesWritten(),
                Human.size(store.bytesWritten()), store.dir());

        Accounts.write(rootfs);
        ScriptlessConfigure.apply(rootfs);
        // With dpkg in the tree the guest's postinst scripts set up alternatives (update-alternatives keeps
        // its own records); links made here would be "changed manually" to it.
        Map<String, String> chosen = rootfs.exists(FirstBoot.DPKG) ? Map.of() : Alternatives.apply(alternatives, rootfs);
        if (rootfs.exists(FirstBoot.DPKG)) {
            DpkgDatabase.excludes(rootfs);
        }
        guest(rootfs, guestInit, hostname);
        DpkgDatabase.write(rootfs, database);
        List<String> firstBoot = FirstBoot.write(rootfs);

        FsJson.Result json = FsJson.write(rootfs.tree());
        LOG.info("Root filesystem: {} files, {}; alternatives {}; {} files replaced by later packages, {} device"
                        + " nodes/fifos left out; first boot: {}", json.files(), Human.size(json.bytes()), chosen,
                rootfs.replacedFiles(), rootfs.skippedSpecialFiles(), firstBoot.isEmpty() ? "nothing" : firstBoot);
        return new Result(json.json(), json.files(), json.bytes(), chosen, firstBoot);
    }

    /** Reads the packages on all cores, keeping their order. */
    private static List<UnpackedDeb> readAll(List<Package> ordered, ContentStore store) {
        return Parallel.map(ordered, Runtime.getRuntime().availableProcessors(), "unpack",
                pkg -> UnpackedDeb.read(pkg.name(), pkg.deb(), CONTROL_FILES, store));
    }

    /** What v86unit itself needs in the guest, and nothing random (no machine-id). */
    private static void guest(Rootfs rootfs, byte[] guestInit, String hostname) {
        rootfs.file(GUEST_INIT, 0755, guestInit);
        rootfs.dir(EXCHANGE_DIR, 0755);
        rootfs.dir("root", 0700);
        rootfs.dir("tmp", 01777);
        rootfs.text("etc/hostname", 0644, hostname + "\n");
        rootfs.text("etc/hosts", 0644, "127.0.0.1\tlocalhost\n127.0.1.1\t" + hostname + "\n"
                + "::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
        // util-linux and friends expect it; systemd-tmpfiles would create it
        rootfs.symlink("etc/mtab", "../proc/self/mounts");
        // A machine-id identifies one installation; an image is copied to many. Nothing here needs one.
        rootfs.remove("etc/machine-id");
        rootfs.remove("var/lib/dbus/machine-id");
    }
}
