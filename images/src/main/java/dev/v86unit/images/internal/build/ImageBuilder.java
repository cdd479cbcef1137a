package dev.v86unit.images.internal.build;

import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.internal.cpio.NewcWriter;
import dev.v86unit.images.internal.deb.DebExtractor;
import dev.v86unit.images.internal.debian.DebCache;
import dev.v86unit.images.internal.debian.DebianArchive;
import dev.v86unit.images.internal.debian.DependencyResolver;
import dev.v86unit.images.internal.debian.PackageEntry;
import dev.v86unit.images.internal.debian.PackagesIndex;
import dev.v86unit.images.internal.debian.ReleaseFile;
import dev.v86unit.images.internal.io.AtomicFiles;
import dev.v86unit.images.internal.io.Human;
import dev.v86unit.images.internal.io.Sha256;
import dev.v86unit.images.internal.rootfs.ContentStore;
import dev.v86unit.images.internal.rootfs.RootfsBuilder;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * Builds an image: Debian's i386 kernel, busybox-static as the initramfs userland with the v86unit init
 * and the virtio/9p modules, SeaBIOS, and for recipes with a {@link RootfsRecipe} a root filesystem served
 * over 9p. Two steps, so that tests can repeat the second offline: {@link #resolve()} picks the packages
 * from the signed archive index (network: the index only), {@link #build(BuildInputs, Path)} turns them
 * into files (network only for packages not yet cached).
 */
public final class ImageBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ImageBuilder.class);

    static final String BUSYBOX_PACKAGE = "busybox-static";
    static final String SEABIOS_PACKAGE = "seabios";
    static final String BUSYBOX_PATH = "bin/busybox";
    static final String BIOS_PATH = "usr/share/seabios/bios.bin";
    static final String KERNEL_FILE = "vmlinuz";
    /** The kernel proper, unpacked from {@link #KERNEL_FILE} for the host to load (see {@link UnpackedKernel}). */
    static final String KERNEL_ELF_FILE = "vmlinux";
    static final String INITRD_FILE = "initrd.cpio";
    static final String BIOS_FILE = "bios.bin";
    static final String ROOTFS_FILE = "rootfs.json";
    static final String HOSTNAME = "v86unit";
    /** Parallel downloads: the ~100 packages of a root filesystem are mostly small, round trips dominate. */
    private static final int DOWNLOADS = 4;

    private final Recipe recipe;
    private final DebianArchive archive;
    private final DebCache debs;
    private final ContentStore store;

    public ImageBuilder(Recipe recipe, DebianArchive archive, DebCache debs, ContentStore store) {
        if (!recipe.packages().containsAll(List.of(BUSYBOX_PACKAGE, SEABIOS_PACKAGE))) {
            throw new IllegalArgumentException("Recipe " + recipe.name() + " must list " + BUSYBOX_PACKAGE + " and "
                    + SEABIOS_PACKAGE + ", lists " + recipe.packages());
        }
        this.recipe = recipe;
        this.archive = archive;
        this.debs = debs;
        this.store = store;
    }

    /**
     * Chooses the newest kernel, the other boot packages and, for a root filesystem, the resolved package
     * set from the verified index of the recipe's suite. Downloads no package.
     *
     * @throws dev.v86unit.images.UnknownPackageException if a requested package is not in the archive
     */
    public BuildInputs resolve() {
        ReleaseFile release = archive.release(recipe.suite());
        Set<String> exact = Set.copyOf(recipe.packages());
        boolean rootfsHere = recipe.rootfs() != null && recipe.rootfsSuite().equals(recipe.suite());
        // A root filesystem needs the whole index (Essential packages, dependencies); boot files only three.
        Predicate<String> wanted = rootfsHere ? name -> true
                : name -> exact.contains(name) || recipe.kernelPackage().matcher(name).matches();
        PackagesIndex index = archive.packages(release, recipe.suite(), recipe.component(), recipe.architecture(),
                wanted);
        List<PackageEntry> packages = new ArrayList<>();
        packages.add(index.newestMatching(recipe.kernelPackage()).orElseThrow(() -> new ImageBuildException(
                "No package matching " + recipe.kernelPackage() + " in " + recipe.suite() + " "
                        + recipe.component() + "/binary-" + recipe.architecture())));
        for (String name : recipe.packages()) {
            packages.add(index.requireNewest(name));
        }
        LOG.info("Boot packages for image '{}': {}", recipe.name(), packages.stream().map(PackageEntry::label).toList());
        List<PackageEntry> rootfs = List.of();
        if (recipe.rootfs() != null) {
            LOG.info("Resolving the packages of image '{}' ({} requested, plus the Essential ones) ...", recipe.name(),
                    recipe.rootfs().requested().size());
            // Another release's userland (debian:11, debian:13) on this suite's kernel: its own signed index.
            PackagesIndex rootfsIndex = rootfsHere ? index : archive.packages(archive.release(recipe.rootfsSuite()),
                    recipe.rootfsSuite(), recipe.component(), recipe.architecture(), name -> true);
            rootfs = new DependencyResolver(rootfsIndex.newestByName().values(), recipe.archiveLabel())
                    .resolve(recipe.rootfs().requested(), recipe.rootfs().extraPackages(), recipe.name());
            long total = rootfs.stream().mapToLong(PackageEntry::size).sum();
            long cached = rootfs.stream().filter(debs::probablyCached).mapToLong(PackageEntry::size).sum();
            LOG.info("Resolved {} packages for the root filesystem of image '{}': {} to download ({} of them cached)",
                    rootfs.size(), recipe.name(), Human.size(total), Human.size(cached));
        }
        return new BuildInputs(release.date(), archive.mirror(), packages, rootfs);
    }

    /** Writes the image files and manifest.json into the existing directory {@code outDir}. */
    public Manifest build(BuildInputs inputs, Path outDir) {
        // The root filesystem (downloads, unpacking) and the boot files (mostly decompressing the kernel
        // package, ~4 s) are independent: build them at the same time.
        ExecutorService side = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "v86unit-rootfs");
            thread.setDaemon(true);
            return thread;
        });
        try {
            PackageEntry busyboxPackage = inputs.named(BUSYBOX_PACKAGE);
            byte[] busybox = single(debs.get(busyboxPackage), busyboxPackage, BUSYBOX_PATH);
            Future<RootfsBuilder.Result> rootfsResult = recipe.rootfs() != null
                    ? side.submit(() -> buildRootfs(inputs.rootfsPackages()))
                    : recipe.archive() != null ? side.submit(() -> ArchiveRootfsBuilder.build(recipe.archive(), busybox,
                    store)) : null;
            PackageEntry kernelPackage = inputs.matching(recipe.kernelPackage());
            PackageEntry seabiosPackage = inputs.named(SEABIOS_PACKAGE);
            KernelFiles kernel = KernelFiles.extract(debs.get(kernelPackage), kernelPackage, recipe.modules());
            byte[] bios = single(debs.get(seabiosPackage), seabiosPackage, BIOS_PATH);
            byte[] initrd = NewcWriter.write(InitramfsLayout.entries(busybox, recipe.init(), kernel.version(), kernel.modules(),
                    HOSTNAME));

            List<Manifest.Output> outputs = new ArrayList<>(List.of(
                    write(outDir, KERNEL_FILE, kernel.vmlinuz()),
                    write(outDir, INITRD_FILE, initrd),
                    write(outDir, BIOS_FILE, bios)));
            UnpackedKernel.Result unpacked = UnpackedKernel.unpack(kernel.vmlinuz());
            if (unpacked.elf().isPresent()) {
                int sites = FtraceCallSites.disable(unpacked.elf().get());
                LOG.info("Image '{}': kernel {} unpacked; {} of its function-tracing call sites made no-ops at build time{}",
                        recipe.name(), kernel.version(), sites, sites == 0 ? " (no table of them found: the kernel does it at boot)" : "");
                outputs.add(write(outDir, KERNEL_ELF_FILE, unpacked.elf().get()));
            } else {
                LOG.info("Image '{}': the guest decompresses kernel {} at each cold boot ({})", recipe.name(),
                        kernel.version(), unpacked.whyNot());
            }
            Manifest.Rootfs rootfs = null;
            if (rootfsResult != null) {
                RootfsBuilder.Result result = await(rootfsResult);
                outputs.add(write(outDir, ROOTFS_FILE, result.json()));
                rootfs = new Manifest.Rootfs(manifestInputs(inputs.rootfsPackages()), result.files(), result.bytes(),
                        result.firstBoot());
            }
            Manifest manifest = new Manifest(recipe.name(), recipe.version(), recipe.key(), recipe.suite(),
                    inputs.releaseDate(), inputs.mirror(), kernel.version(), manifestInputs(inputs.packages()), outputs,
                    kernel.loadOrder(), recipe.cmdline(), recipe.memoryMb(),
                    Manifest.computeId(outputs, recipe.cmdline(), recipe.memoryMb()), rootfs);
            write(outDir, Manifest.FILE_NAME, manifest.toJson());
            LOG.info("Image '{}': kernel {}, modules {}", recipe.name(), kernel.version(), kernel.loadOrder());
            return manifest;
        } finally {
            side.shutdownNow();
        }
    }

    private static RootfsBuilder.Result await(Future<RootfsBuilder.Result> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException("Interrupted while building the root filesystem", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ImageBuildException("Cannot build the root filesystem: " + e.getCause(), e.getCause());
        }
    }

    private RootfsBuilder.Result buildRootfs(List<PackageEntry> packages) {
        if (packages.isEmpty()) {
            throw new ImageBuildException("Image '" + recipe.name() + "' has a root filesystem but no packages for it");
        }
        List<Path> files = debs.getAll(packages, DOWNLOADS);
        List<RootfsBuilder.Package> unpack = new ArrayList<>();
        for (int i = 0; i < packages.size(); i++) {
            unpack.add(new RootfsBuilder.Package(packages.get(i).name(), files.get(i)));
        }
        LOG.info("Unpacking {} packages into the root filesystem of image '{}' ...", unpack.size(), recipe.name());
        return RootfsBuilder.build(unpack, recipe.rootfs().guestInit(), HOSTNAME, store);
    }

    private static List<Manifest.Input> manifestInputs(List<PackageEntry> packages) {
        return packages.stream()
                .map(p -> new Manifest.Input(p.name(), p.version(), p.filename(), p.sha256(), p.size()))
                .toList();
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
