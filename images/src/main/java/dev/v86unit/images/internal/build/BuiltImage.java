package dev.v86unit.images.internal.build;

import dev.v86unit.images.Image;
import dev.v86unit.images.internal.io.Sha256;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A build directory in the cache, checked against its manifest before use: every output file must have
 * the recorded size and sha256, and the manifest must belong to the recipe's key. This re-hashes about
 * 8 MB, a few tens of milliseconds: cheap insurance against a truncated or edited cache.
 */
final class BuiltImage {

    static final List<String> REQUIRED_OUTPUTS = List.of(BusyboxImageBuilder.KERNEL_FILE,
            BusyboxImageBuilder.INITRD_FILE, BusyboxImageBuilder.BIOS_FILE);

    /** The directory is not an intact build of the recipe; the message says why. */
    static final class DamagedException extends Exception {
        DamagedException(String message) {
            super(message);
        }
    }

    private BuiltImage() {
    }

    /** @return the image in {@code dir}, verified to be an intact build of {@code recipe} */
    static Image load(Path dir, Recipe recipe) throws DamagedException {
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
        for (String required : REQUIRED_OUTPUTS) {
            if (manifest.outputs().stream().noneMatch(o -> o.name().equals(required))) {
                throw new DamagedException("the manifest lists no " + required);
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
        return new Image(recipe.name(), manifest.id(), dir.resolve(BusyboxImageBuilder.KERNEL_FILE),
                dir.resolve(BusyboxImageBuilder.INITRD_FILE), dir.resolve(BusyboxImageBuilder.BIOS_FILE),
                manifest.cmdline(), manifest.memoryMb(), dir.resolve(Manifest.FILE_NAME));
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
