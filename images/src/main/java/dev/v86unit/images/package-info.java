/**
 * Guest images for v86unit: {@link dev.v86unit.images.ImageStore} turns an image name (and optionally
 * extra Debian packages) into a built, verified {@link dev.v86unit.images.Image} (kernel, initramfs, BIOS,
 * kernel command line, memory size and, for {@code debian}, a root filesystem served over 9p).
 *
 * <pre>{@code
 * ImageStore store = new ImageStore(cacheDir.resolve("images"), ImageStore.DEFAULT_DEBIAN_MIRROR);
 * Image busybox = store.get("busybox");
 * Image debian = store.get("debian", List.of("bc"));
 * }</pre>
 *
 * <p>The builder, the Debian archive client and the file formats live in {@code internal} subpackages:
 * {@code internal.debian} (signed InRelease, Packages index, verified downloads), {@code internal.deb}
 * ({@code .deb} unpacking), {@code internal.kmod} (kernel module metadata and signatures),
 * {@code internal.cpio} (the initramfs format), {@code internal.rootfs} (root filesystems: unpacking,
 * configuration without maintainer scripts, v86's {@code fs.json}) and {@code internal.build} (recipes,
 * builder, manifest, cache).
 */
package dev.v86unit.images;
