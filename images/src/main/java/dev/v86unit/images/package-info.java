/**
 * Guest images for v86unit: {@link dev.v86unit.images.ImageStore} turns an image name (and optionally
 * extra Debian packages) into a built, verified {@link dev.v86unit.images.Image} (kernel, initramfs, BIOS,
 * kernel command line, memory size and, for Debian images and archives you bring, a root filesystem
 * served over 9p). Names: {@code busybox}, {@code debian} (= {@code debian:12}, {@code debian:bookworm}),
 * {@code debian:11} ({@code debian:bullseye}), {@code debian:13} ({@code debian:trixie}),
 * {@code rootfs:<source>} and {@code oci:<source>}.
 *
 * <pre>{@code
 * ImageStore store = new ImageStore(cacheDir.resolve("images"), ImageStore.DEFAULT_DEBIAN_MIRROR);
 * Image busybox = store.get("busybox");
 * Image debian = store.get("debian", List.of("bc"));
 * Image bullseye = store.get("debian:11", List.of("openssl"));
 * Image alpine = store.get("rootfs:file:build/alpine-minirootfs-3.21.0-x86.tar.gz");
 * }</pre>
 *
 * <p>The builder, the Debian archive client and the file formats live in {@code internal} subpackages:
 * {@code internal.debian} (signed InRelease, Packages index, verified downloads), {@code internal.deb}
 * ({@code .deb} unpacking), {@code internal.kmod} (kernel module metadata and signatures),
 * {@code internal.cpio} (the initramfs format), {@code internal.rootfs} (root filesystems: unpacking,
 * configuration without maintainer scripts, layers of archives you bring, v86's {@code fs.json}),
 * {@code internal.oci} (archive sources, compression, {@code docker save} and OCI image layouts) and
 * {@code internal.build} (recipes, builder, manifest, cache).
 */
package dev.v86unit.images;
