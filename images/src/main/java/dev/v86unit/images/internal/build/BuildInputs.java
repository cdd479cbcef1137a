package dev.v86unit.images.internal.build;

import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.internal.debian.PackageEntry;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The packages an image is built from, as chosen from a verified index (or read back from a manifest).
 *
 * @param releaseDate     the {@code Date:} of the InRelease the packages were chosen from
 * @param mirror          the archive they were downloaded from
 * @param packages        the boot packages: kernel, busybox-static, seabios
 * @param rootfsPackages  the packages unpacked into the root filesystem, sorted by name; empty for an
 *                        initramfs-only image
 */
public record BuildInputs(String releaseDate, String mirror, List<PackageEntry> packages,
                          List<PackageEntry> rootfsPackages) {

    public BuildInputs {
        packages = List.copyOf(packages);
        rootfsPackages = List.copyOf(rootfsPackages);
    }

    /** The inputs recorded in {@code manifest}, to rebuild the same image from the same packages. */
    public static BuildInputs of(Manifest manifest) {
        List<PackageEntry> rootfs = manifest.rootfs() == null ? List.of()
                : manifest.rootfs().packages().stream().map(BuildInputs::entry).toList();
        return new BuildInputs(manifest.releaseDate(), manifest.mirror(),
                manifest.inputs().stream().map(BuildInputs::entry).toList(), rootfs);
    }

    private static PackageEntry entry(Manifest.Input in) {
        return PackageEntry.ofDeb(in.packageName(), in.version(), in.filename(), in.sha256(), in.size());
    }

    public PackageEntry named(String name) {
        return packages.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new ImageBuildException("No package " + name + " among the inputs " + names()));
    }

    public PackageEntry matching(Pattern name) {
        return packages.stream().filter(p -> name.matcher(p.name()).matches()).findFirst()
                .orElseThrow(() -> new ImageBuildException("No package matching " + name + " among the inputs "
                        + names()));
    }

    private List<String> names() {
        return packages.stream().map(PackageEntry::name).toList();
    }
}
