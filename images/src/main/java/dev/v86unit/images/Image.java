package dev.v86unit.images;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A built, verified guest image: the files to hand to v86 and how to boot them.
 *
 * <pre>{@code
 * Image image = imageStore.get("debian");
 * byte[] bzImage = Files.readAllBytes(image.kernel());   // v86 option "bzimage"
 * byte[] initrd = Files.readAllBytes(image.initrd());    // "initrd"
 * byte[] bios = Files.readAllBytes(image.bios());        // "bios"
 * // image.kernelElf(), if not null: the kernel already unpacked (see below)
 * String cmdline = image.cmdline();                      // "cmdline"
 * long memory = image.memoryMb() * 1024L * 1024L;        // "memory_size"
 * if (image.rootfs() != null) {                          // "filesystem": {
 *     String basefs = image.rootfs().toString();         //     "basefs": basefs,
 *     String baseurl = image.rootfsStore() + "/";        //     "baseurl": baseurl }
 * }
 * }</pre>
 *
 * <p>Images with a root filesystem ({@code debian} and images derived from it) boot the same kernel and
 * initramfs, which mounts v86's 9p share as the root; v86 loads that share's tree from {@link #rootfs()}
 * and each file's content, when the guest first reads it, from {@link #rootfsStore()}. The files belong to
 * the image cache: read them, never modify them.
 *
 * @param name        the image name, e.g. {@code busybox} or {@code debian}
 * @param id          {@code sha256:<hex>} over the output files (the kernel, initramfs, BIOS and
 *                    {@code rootfs.json}, which names every root file by its sha256), the command line and
 *                    the memory size; equal ids mean byte-identical images, so it is a sound cache key for
 *                    snapshots
 * @param kernel      the kernel ({@code vmlinuz}, a bzImage)
 * @param initrd      the initramfs (an uncompressed newc cpio archive)
 * @param bios        the SeaBIOS image ({@code bios.bin})
 * @param cmdline     the kernel command line
 * @param memoryMb    the guest memory size in MiB
 * @param manifest    the build manifest ({@code manifest.json}): inputs, outputs and their sha256
 * @param rootfs      the root filesystem's tree ({@code rootfs.json}, v86's {@code fs.json} format version
 *                    3); null for an image without a root filesystem ({@code busybox})
 * @param rootfsStore the folder with the root filesystem's file contents, each named by its sha256, shared
 *                    by all images of one cache; null exactly when {@code rootfs} is null
 * @param kernelElf   the kernel proper ({@code vmlinux}, an i386 ELF file), unpacked from {@code kernel}'s
 *                    compressed payload when the image was built; v86unit's host copies its segments into
 *                    guest memory and points the boot header's {@code code32_start} at its entry, so the
 *                    guest skips decompressing itself (~3 s of every cold boot on v86). Null when the
 *                    bzImage's payload could not be unpacked or needs relocating (then v86 boots
 *                    {@code kernel} the usual way). Verified like every output file, but not part of
 *                    the id: it follows from the bzImage, which is.
 */
public record Image(String name, String id, Path kernel, Path initrd, Path bios, String cmdline, int memoryMb,
                    Path manifest, Path rootfs, Path rootfsStore, Path kernelElf) {

    /**
     * Checks the components; only {@code rootfs} and {@code rootfsStore} may be null, and only together.
     *
     * @param name        the image name
     * @param id          {@code sha256:<hex>} of the image
     * @param kernel      the bzImage
     * @param initrd      the initramfs
     * @param bios        the BIOS image
     * @param cmdline     the kernel command line
     * @param memoryMb    the guest memory size in MiB, positive
     * @param manifest    the build manifest
     * @param rootfs      the root filesystem's {@code rootfs.json}, or null
     * @param rootfsStore the root filesystem's content folder, or null
     * @param kernelElf   the unpacked kernel, or null
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
        if ((rootfs == null) != (rootfsStore == null)) {
            throw new IllegalArgumentException("rootfs and rootfsStore must both be set or both be null, were "
                    + rootfs + " and " + rootfsStore);
        }
    }

    /**
     * An image whose kernel the guest decompresses itself (no {@link #kernelElf()}); the signature this
     * record had before {@code kernelElf} existed.
     *
     * @param name        the image name
     * @param id          {@code sha256:<hex>} of the image
     * @param kernel      the bzImage
     * @param initrd      the initramfs
     * @param bios        the BIOS image
     * @param cmdline     the kernel command line
     * @param memoryMb    the guest memory size in MiB, positive
     * @param manifest    the build manifest
     * @param rootfs      the root filesystem's {@code rootfs.json}, or null
     * @param rootfsStore the root filesystem's content folder, or null
     */
    public Image(String name, String id, Path kernel, Path initrd, Path bios, String cmdline, int memoryMb,
                 Path manifest, Path rootfs, Path rootfsStore) {
        this(name, id, kernel, initrd, bios, cmdline, memoryMb, manifest, rootfs, rootfsStore, null);
    }
}
