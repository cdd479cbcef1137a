package dev.v86unit.images.internal.build;

import dev.v86unit.images.internal.io.Sha256;
import dev.v86unit.images.internal.rootfs.ImportedRootfs;

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
 * @param rootfs         the root filesystem served over 9p, built from Debian packages; null for an
 *                       initramfs-only image or one whose root filesystem the user brings
 * @param archive        the root filesystem served over 9p, from an archive the user brings; null unless
 *                       the image is {@code rootfs:...} or {@code oci:...}
 */
public record Recipe(String name, int version, String suite, String component, String architecture,
                     Pattern kernelPackage, List<String> packages, List<String> modules, byte[] init,
                     String cmdline, int memoryMb, RootfsRecipe rootfs, RootfsArchive archive) {

    /**
     * Bump when what a user's archive becomes changes (the guest files v86unit adds, how layers are
     * applied), so that old builds of the same archive are not reused.
     */
    static final int ARCHIVE_IMPORT_VERSION = 2;

    public Recipe {
        Objects.requireNonNull(name, "name");
        packages = List.copyOf(packages);
        modules = List.copyOf(modules);
        init = init.clone();
        if (rootfs != null && archive != null) {
            throw new IllegalArgumentException("Recipe " + name + " has both Debian packages and an archive as its"
                    + " root filesystem");
        }
    }

    /** A recipe without a user's archive. */
    public Recipe(String name, int version, String suite, String component, String architecture,
                  Pattern kernelPackage, List<String> packages, List<String> modules, byte[] init,
                  String cmdline, int memoryMb, RootfsRecipe rootfs) {
        this(name, version, suite, component, architecture, kernelPackage, packages, modules, init, cmdline, memoryMb,
                rootfs, null);
    }

    /**
     * The image of a user's archive: this recipe's boot files and command line (which must mount a root
     * filesystem over 9p), the archive as the root filesystem.
     */
    public Recipe withArchive(RootfsArchive userArchive) {
        // No cached root for a userland the user brings: the guest side of the cache=loose exchange
        // needs a dd with oflag=dsync, which busybox's (Alpine's, the fallback's) lacks.
        return new Recipe(userArchive.imageName(), ARCHIVE_IMPORT_VERSION, suite, component, architecture,
                kernelPackage, packages, modules, init, cmdline.replace(" " + BuiltInRecipes.ROOT_CACHE_LOOSE, ""), memoryMb, null,
                userArchive);
    }

    /** True if the image has a root filesystem on the 9p share, from packages or from an archive. */
    public boolean hasRootfs() {
        return rootfs != null || archive != null;
    }

    @Override
    public byte[] init() {
        return init.clone();
    }

    /** A copy that also installs {@code extraPackages} (order and duplicates do not matter). */
    public Recipe withExtraPackages(List<String> extraPackages) {
        if (archive != null) {
            throw new IllegalArgumentException("Image '" + name + "' is an archive you bring; v86unit cannot add"
                    + " Debian packages to it: put them in the archive, or use a 'debian' image with packages");
        }
        if (rootfs == null) {
            throw new IllegalArgumentException("Image '" + name + "' has no root filesystem to add packages to;"
                    + " use 'debian'");
        }
        return new Recipe(name, version, suite, component, architecture, kernelPackage, packages, modules, init,
                cmdline, memoryMb, rootfs.withExtraPackages(extraPackages), null);
    }

    /** The suite the root filesystem's packages come from: its own, else the recipe's. */
    public String rootfsSuite() {
        return rootfs != null && rootfs.suite() != null ? rootfs.suite() : suite;
    }

    /** "Debian bookworm main (i386)", the archive of the root filesystem's packages, for messages. */
    public String archiveLabel() {
        return "Debian " + rootfsSuite() + " " + component + " (" + architecture + ")";
    }

    /**
     * sha256 hex over the recipe and the set of files a build makes; names the build directory and guards
     * it against recipe changes. An initramfs-only recipe has no rootfs lines, so its key did not change
     * when root filesystems came; every key changed when builds began to unpack the kernel.
     */
    public String key() {
        // A user's archive is known by its bytes, not by the path or resource it was read from.
        String canonical = "v86unit image recipe\n"
                + "name=" + (archive != null ? archive.kind().prefix() : name) + "\n"
                + "version=" + version + "\n"
                + "suite=" + suite + "\n"
                + "component=" + component + "\n"
                + "architecture=" + architecture + "\n"
                + "kernel-package=" + kernelPackage.pattern() + "\n"
                + "packages=" + String.join(",", packages) + "\n"
                + "modules=" + String.join(",", modules) + "\n"
                + "init-sha256=" + Sha256.hex(init) + "\n"
                + "cmdline=" + cmdline + "\n"
                + "memory-mb=" + memoryMb + "\n"
                // builds since this line also hold the kernel unpacked (vmlinux), and since "-notrace" with
                // its function-tracing call sites made no-ops (FtraceCallSites); older ones are not found
                + "outputs=kernel-elf-notrace\n";
        if (rootfs != null) {
            canonical += "rootfs-essential=yes\n"
                    + "rootfs-packages=" + String.join(",", rootfs.packages()) + "\n"
                    + "rootfs-extra-packages=" + String.join(",", rootfs.extraPackages()) + "\n"
                    + "rootfs-init-sha256=" + Sha256.hex(rootfs.guestInit()) + "\n";
            // only when it differs from the kernel's, so that debian (bookworm) kept its key
            if (rootfs.suite() != null) {
                canonical += "rootfs-suite=" + rootfs.suite() + "\n";
            }
        }
        if (archive != null) {
            canonical += "archive-kind=" + archive.kind().prefix() + "\n"
                    + "archive-sha256=" + archive.sha256() + "\n"
                    + "archive-init-sha256=" + Sha256.hex(ImportedRootfs.withFallbackPath(archive.guestInit())) + "\n"
                    + "archive-fallback=" + String.join(",", ImportedRootfs.FALLBACK_APPLETS) + "\n";
        }
        return Sha256.hex(canonical);
    }

    /**
     * The build directory name: {@code <name>-<first 16 hex digits of the key>}, with the ':' of release
     * names ({@code debian:11}) as '-', which every file system accepts; {@code rootfs-<key16>} or
     * {@code oci-<key16>} for a user's archive.
     */
    public String directoryName() {
        return (archive != null ? archive.kind().prefix() : name.replace(':', '-')) + "-" + key().substring(0, 16);
    }
}
