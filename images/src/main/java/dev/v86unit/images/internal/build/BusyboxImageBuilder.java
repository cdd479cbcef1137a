package dev.v86unit.images.internal.build;

import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.internal.cpio.NewcWriter;
import dev.v86unit.images.internal.deb.DebExtractor;
import dev.v86unit.images.internal.debian.DebCache;
import dev.v86unit.images.internal.debian.DebianArchive;
import dev.v86unit.images.internal.debian.PackageEntry;
import dev.v86unit.images.internal.debian.PackagesIndex;
import dev.v86unit.images.internal.debian.ReleaseFile;
import dev.v86unit.images.internal.io.AtomicFiles;
import dev.v86unit.images.internal.io.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@code busybox} image: Debian's i386 kernel, busybox-static as the whole userland in an
 * initramfs with the v86unit init and the virtio/9p modules, and SeaBIOS. Two steps, so that tests can
 * repeat the second offline: {@link #resolve()} picks the packages from the signed archive index (network),
 * {@link #build(BuildInputs, Path)} turns them into files (network only for packages not yet cached).
 */
public final class BusyboxImageBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(BusyboxImageBuilder.class);

    static final String BUSYBOX_PACKAGE = "busybox-static";
    static final String SEABIOS_PACKAGE = "seabios";
    static final String BUSYBOX_PATH = "bin/busybox";
    static final String BIOS_PATH = "usr/share/seabios/bios.bin";
    static final String KERNEL_FILE = "vmlinuz";
    static final String INITRD_FILE = "initrd.cpio";
    static final String BIOS_FILE = "bios.bin";
    static final String HOSTNAME = "v86unit";

    private final Recipe recipe;
    private final DebianArchive archive;
    private final DebCache debs;

    public BusyboxImageBuilder(Recipe recipe, DebianArchive archive, DebCache debs) {
        if (!recipe.packages().containsAll(List.of(BUSYBOX_PACKAGE, SEABIOS_PACKAGE))) {
            throw new IllegalArgumentException("Recipe " + recipe.name() + " must list " + BUSYBOX_PACKAGE + " and "
                    + SEABIOS_PACKAGE + ", lists " + recipe.packages());
        }
        this.recipe = recipe;
        this.archive = archive;
        this.debs = debs;
    }

    /** Chooses the newest kernel and the other packages from the verified index of the recipe's suite. */
    public BuildInputs resolve() {
        ReleaseFile release = archive.release(recipe.suite());
        Set<String> exact = Set.copyOf(recipe.packages());
        PackagesIndex index = archive.packages(release, recipe.suite(), recipe.component(), recipe.architecture(),
                name -> exact.contains(name) || recipe.kernelPackage().matcher(name).matches());
        List<PackageEntry> packages = new ArrayList<>();
        packages.add(index.newestMatching(recipe.kernelPackage()).orElseThrow(() -> new ImageBuildException(
                "No package matching " + recipe.kernelPackage() + " in " + recipe.suite() + " "
                        + recipe.component() + "/binary-" + recipe.architecture())));
        for (String name : recipe.packages()) {
            packages.add(index.requireNewest(name));
        }
        BuildInputs inputs = new BuildInputs(release.date(), archive.mirror(), packages);
        LOG.info("Packages for image '{}': {}", recipe.name(), packages.stream().map(PackageEntry::label).toList());
        return inputs;
    }

    /** Writes vmlinuz, initrd.cpio, bios.bin and manifest.json into the existing directory {@code outDir}. */
    public Manifest build(BuildInputs inputs, Path outDir) {
        PackageEntry kernelPackage = inputs.matching(recipe.kernelPackage());
        PackageEntry busyboxPackage = inputs.named(BUSYBOX_PACKAGE);
        PackageEntry seabiosPackage = inputs.named(SEABIOS_PACKAGE);

        KernelFiles kernel = KernelFiles.extract(debs.get(kernelPackage), kernelPackage, recipe.modules());
        byte[] busybox = single(debs.get(busyboxPackage), busyboxPackage, BUSYBOX_PATH);
        byte[] bios = single(debs.get(seabiosPackage), seabiosPackage, BIOS_PATH);
        byte[] initrd = NewcWriter.write(InitramfsLayout.entries(busybox, recipe.init(), kernel.modules(), HOSTNAME));

        List<Manifest.Output> outputs = List.of(
                write(outDir, KERNEL_FILE, kernel.vmlinuz()),
                write(outDir, INITRD_FILE, initrd),
                write(outDir, BIOS_FILE, bios));
        List<Manifest.Input> manifestInputs = inputs.packages().stream()
                .map(p -> new Manifest.Input(p.name(), p.version(), p.filename(), p.sha256(), p.size()))
                .toList();
        Manifest manifest = new Manifest(recipe.name(), recipe.version(), recipe.key(), recipe.suite(),
                inputs.releaseDate(), inputs.mirror(), kernel.version(), manifestInputs, outputs, kernel.loadOrder(),
                recipe.cmdline(), recipe.memoryMb(), Manifest.computeId(outputs, recipe.cmdline(), recipe.memoryMb()));
        write(outDir, Manifest.FILE_NAME, manifest.toJson());
        LOG.info("Image '{}': kernel {}, modules {}", recipe.name(), kernel.version(), kernel.loadOrder());
        return manifest;
    }

    private static byte[] single(Path deb, PackageEntry entry, String path) {
        Map<String, byte[]> files = DebExtractor.extract(deb, path::equals);
        byte[] content = files.get(path);
        if (content == null) {
            throw new ImageBuildException("Package " + entry.label() + " (" + deb + ") contains no regular file /"
                    + path);
        }
        return content;
    }

    private static Manifest.Output write(Path dir, String name, byte[] content) {
        Path file = dir.resolve(name);
        try {
            Files.write(file, content);
            AtomicFiles.fsync(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        return new Manifest.Output(name, Sha256.hex(content), content.length);
    }
}
