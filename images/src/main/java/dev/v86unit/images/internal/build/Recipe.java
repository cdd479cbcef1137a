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
 * @param rootfs         the root filesystem served over 9p; null for an initramfs-only image
 */
public record Recipe(String name, int version, String suite, String component, String architecture,
                     Pattern kernelPackage, List<String> packages, List<String> modules, byte[] init,
                     String cmdline, int memoryMb, RootfsRecipe rootfs) {

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

    /** A copy that also installs {@code extraPackages} (order and duplicates do not matter). */
    public Recipe withExtraPackages(List<String> extraPackages) {
        if (rootfs == null) {
            throw new IllegalArgumentException("Image '" + name + "' has no root filesystem to add packages to;"
                    + " use 'debian'");
        }
        return new Recipe(name, version, suite, component, architecture, kernelPackage, packages, modules, init,
                cmdline, memoryMb, rootfs.withExtraPackages(extraPackages));
    }

    /** "Debian bookworm main (i386)", for messages. */
    public String archiveLabel() {
        return "Debian " + suite + " " + component + " (" + architecture + ")";
    }

    /**
     * sha256 hex over the recipe; names the build directory and guards it against recipe changes. An
     * initramfs-only recipe has no rootfs lines, so its key did not change when root filesystems came.
     */
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
        if (rootfs != null) {
            canonical += "rootfs-essential=yes\n"
                    + "rootfs-packages=" + String.join(",", rootfs.packages()) + "\n"
                    + "rootfs-extra-packages=" + String.join(",", rootfs.extraPackages()) + "\n"
                    + "rootfs-init-sha256=" + Sha256.hex(rootfs.guestInit()) + "\n";
        }
        return Sha256.hex(canonical);
    }

    /** The build directory name: {@code <name>-<first 16 hex digits of the key>}. */
    public String directoryName() {
        return name + "-" + key().substring(0, 16);
    }
}
