package dev.v86unit.images;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A built, verified guest image: the files to hand to v86 and how to boot them.
 *
 * <pre>{@code
 * Image image = imageStore.get("busybox");
 * byte[] bzImage = Files.readAllBytes(image.kernel());   // v86 option "bzimage"
 * byte[] initrd = Files.readAllBytes(image.initrd());    // "initrd"
 * byte[] bios = Files.readAllBytes(image.bios());        // "bios"
 * String cmdline = image.cmdline();                      // "cmdline"
 * long memory = image.memoryMb() * 1024L * 1024L;        // "memory_size"
 * }</pre>
 *
 * <p>No component is null. The files belong to the image cache: read them, never modify them.
 *
 * @param name     the image name, e.g. {@code busybox}
 * @param id       {@code sha256:<hex>} over the output files, the command line and the memory size; equal
 *                 ids mean byte-identical images, so it is a sound cache key for snapshots
 * @param kernel   the kernel ({@code vmlinuz}, a bzImage)
 * @param initrd   the initramfs (an uncompressed newc cpio archive)
 * @param bios     the SeaBIOS image ({@code bios.bin})
 * @param cmdline  the kernel command line
 * @param memoryMb the guest memory size in MiB
 * @param manifest the build manifest ({@code manifest.json}): inputs, outputs and their sha256
 */
public record Image(String name, String id, Path kernel, Path initrd, Path bios, String cmdline, int memoryMb,
                    Path manifest) {

    /**
     * Checks the components; none may be null.
     *
     * @param name     the image name
     * @param id       {@code sha256:<hex>} of the image
     * @param kernel   the bzImage
     * @param initrd   the initramfs
     * @param bios     the BIOS image
     * @param cmdline  the kernel command line
     * @param memoryMb the guest memory size in MiB, positive
     * @param manifest the build manifest
     */
    public Image {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initrd, "initrd");
        Objects.requireNonNull(bios, "bios");
        Objects.requireNonNull(cmdline, "cmdline");
        Objects.requireNonNull(manifest, "manifest");
        if (memoryMb <= 0) {
            throw new IllegalArgumentException("memoryMb must be positive, was " + memoryMb);
        }
    }
}
