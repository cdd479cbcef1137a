package dev.v86unit.images.internal.build;

import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.internal.debian.PackageEntry;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The packages an image is built from, as chosen from a verified index (or read back from a manifest).
 *
 * @param releaseDate the {@code Date:} of the InRelease the packages were chosen from
 * @param mirror      the archive they were downloaded from
 */
public record BuildInputs(String releaseDate, String mirror, List<PackageEntry> packages) {

    public BuildInputs {
        packages = List.copyOf(packages);
    }

    /** The inputs recorded in {@code manifest}, to rebuild the same image from the same packages. */
    public static BuildInputs of(Manifest manifest) {
        List<PackageEntry> packages = manifest.inputs().stream()
                .map(in -> new PackageEntry(in.packageName(), in.version(), "", in.filename(), in.sha256(), in.size(),
                        "", "", ""))
                .toList();
        return new BuildInputs(manifest.releaseDate(), manifest.mirror(), packages);
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
