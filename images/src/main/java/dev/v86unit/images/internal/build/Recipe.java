package dev.v86unit.images.internal.build;

import dev.v86unit.images.internal.io.Sha256;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an image is made of. Everything that can change the output bytes is in here and in
 * {@link #key()}, and nothing that needs the network: a built image is found again by its key alone.
 *
 * @param version        bump whenever the builder's output changes for the same recipe, so that old
 *                       builds are not reused
 * @param kernelPackage  the kernel package names to choose from; group 1 is the ABI ("6.1.0-50"). The
 *                       newest matching package wins, because Debian rotates ABIs and drops old ones
 * @param packages       the other packages used, by exact name
 * @param modules        kernel module names to put in the initramfs and load at boot
 * @param init           the initramfs {@code /init} script
 */
public record Recipe(String name, int version, String suite, String component, String architecture,
                     Pattern kernelPackage, List<String> packages, List<String> modules, byte[] init,
                     String cmdline, int memoryMb) {

    public Recipe {
        Objects.requireNonNull(name, "name");
        packages = List.copyOf(packages);
        modules = List.copyOf(modules);
        init = init.clone();
    }

    @Override
    public byte[] init() {
        return init.clone();
    }

    /** sha256 hex over the recipe; names the build directory and guards it against recipe changes. */
    public String key() {
        String canonical = "v86unit image recipe\n"
                + "name=" + name + "\n"
                + "version=" + version + "\n"
                + "suite=" + suite + "\n"
                + "component=" + component + "\n"
                + "architecture=" + architecture + "\n"
                + "kernel-package=" + kernelPackage.pattern() + "\n"
                + "packages=" + String.join(",", packages) + "\n"
                + "modules=" + String.join(",", modules) + "\n"
                + "init-sha256=" + Sha256.hex(init) + "\n"
                + "cmdline=" + cmdline + "\n"
                + "memory-mb=" + memoryMb + "\n";
        return Sha256.hex(canonical);
    }

    /** The build directory name: {@code <name>-<first 16 hex digits of the key>}. */
    public String directoryName() {
        return name + "-" + key().substring(0, 16);
    }
}
