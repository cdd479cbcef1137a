package dev.v86unit.images.internal.build;

import dev.v86unit.images.Image;
import dev.v86unit.images.internal.io.Sha256;
import dev.v86unit.images.internal.rootfs.ContentStore;
import dev.v86unit.images.internal.rootfs.FsJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A build directory in the cache, checked against its manifest before use: every output file must have
 * the recorded size and sha256, and the manifest must belong to the recipe's key. This re-hashes the
 * boot files and rootfs.json (about 9 MB, a few tens of milliseconds): cheap insurance against a
 * truncated or edited cache. The root filesystem's content files in the shared store are only checked
 * for presence and size: re-hashing ~90 MB on every {@code get} would cost about a second, and their
 * names are their sha256, which a build verified when it wrote them.
 */
final class BuiltImage {

    static final List<String> REQUIRED_OUTPUTS = List.of(ImageBuilder.KERNEL_FILE, ImageBuilder.INITRD_FILE,
            ImageBuilder.BIOS_FILE);

    /** The directory is not an intact build of the recipe; the message says why. */
    static final class DamagedException extends Exception {
        DamagedException(String message) {
            super(message);
        }
    }

    private BuiltImage() {
    }

    /** @return the image in {@code dir}, verified to be an intact build of {@code recipe} */
    static Image load(Path dir, Recipe recipe, ContentStore store) throws DamagedException {
        Manifest manifest;
        try {
            manifest = Manifest.fromJson(Files.readAllBytes(dir.resolve(Manifest.FILE_NAME)));
        } catch (IOException e) {
            throw new DamagedException("cannot read " + Manifest.FILE_NAME + ": " + e);
        } catch (IllegalArgumentException e) {
            throw new DamagedException(e.getMessage());
        }
        if (!manifest.key().equals(recipe.key())) {
            throw new DamagedException("the manifest is for recipe key " + manifest.key() + ", expected "
                    + recipe.key());
        }
        List<String> required = new ArrayList<>(REQUIRED_OUTPUTS);
        if (recipe.hasRootfs()) {
            required.add(ImageBuilder.ROOTFS_FILE);
            if (manifest.rootfs() == null) {
                throw new DamagedException("the manifest has no rootfs section");
            }
        }
        for (String name : required) {
            if (manifest.outputs().stream().noneMatch(o -> o.name().equals(name))) {
                throw new DamagedException("the manifest lists no " + name);
            }
        }
        for (Manifest.Output output : manifest.outputs()) {
            check(dir, output);
        }
        String id = Manifest.computeId(manifest.outputs(), manifest.cmdline(), manifest.memoryMb());
        if (!id.equals(manifest.id())) {
            throw new DamagedException("the manifest's id " + manifest.id() + " does not match its outputs (" + id
                    + ")");
        }
        Path rootfs = null;
        Path rootfsStore = null;
        if (recipe.hasRootfs()) {
            rootfs = dir.resolve(ImageBuilder.ROOTFS_FILE);
            rootfsStore = store.dir();
            checkStore(rootfs, store);
        }
        Path kernelElf = manifest.outputs().stream().anyMatch(o -> o.name().equals(ImageBuilder.KERNEL_ELF_FILE))
                ? dir.resolve(ImageBuilder.KERNEL_ELF_FILE) : null;
        return new Image(recipe.name(), manifest.id(), dir.resolve(ImageBuilder.KERNEL_FILE),
                dir.resolve(ImageBuilder.INITRD_FILE), dir.resolve(ImageBuilder.BIOS_FILE),
                manifest.cmdline(), manifest.memoryMb(), dir.resolve(Manifest.FILE_NAME), rootfs, rootfsStore,
                kernelElf);
    }

    /** @return true if every file of the image's root filesystem is in the store with its size (or it has none) */
    static boolean storeIntact(Image image, ContentStore store) {
        if (image.rootfs() == null) {
            return true;
        }
        try {
            checkStore(image.rootfs(), store);
            return true;
        } catch (DamagedException e) {
            return false;
        }
    }

    /** Every file rootfs.json names is in the store with its size; the first problem found is reported. */
    private static void checkStore(Path rootfs, ContentStore store) throws DamagedException {
        List<FsJson.Entry> entries;
        try {
            entries = FsJson.read(Files.readAllBytes(rootfs));
        } catch (IOException | IllegalArgumentException e) {
            throw new DamagedException(ImageBuilder.ROOTFS_FILE + ": " + e.getMessage());
        }
        for (FsJson.Entry entry : entries) {
            if (entry.isFile()) {
                String problem = store.problemWith(entry.data(), entry.size());
                if (problem != null) {
                    throw new DamagedException("/" + entry.path() + ": " + problem);
                }
            }
        }
    }

    private static void check(Path dir, Manifest.Output output) throws DamagedException {
        Path file = dir.resolve(output.name());
        if (!output.name().equals(file.getFileName().toString())) {
            throw new DamagedException("output name " + output.name() + " is not a plain file name");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new DamagedException(output.name() + " is missing or unreadable: " + e);
        }
        if (size != output.size()) {
            throw new DamagedException(output.name() + " has " + size + " bytes, the manifest says " + output.size());
        }
        String actual = Sha256.hexOfFile(file);
        if (!actual.equals(output.sha256())) {
            throw new DamagedException(output.name() + " has sha256 " + actual + ", the manifest says "
                    + output.sha256());
        }
    }
}
