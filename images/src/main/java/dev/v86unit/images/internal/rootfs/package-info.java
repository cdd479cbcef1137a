/**
 * Root filesystems for v86's 9p share, built rootless from {@code .deb} files: the in-memory tree
 * ({@link dev.v86unit.images.internal.rootfs.FsTree}) with merged /usr, the shared content-addressed store
 * ({@link dev.v86unit.images.internal.rootfs.ContentStore}), the configuration that stands in for
 * maintainer scripts ({@link dev.v86unit.images.internal.rootfs.Accounts},
 * {@link dev.v86unit.images.internal.rootfs.Alternatives},
 * {@link dev.v86unit.images.internal.rootfs.ScriptlessConfigure},
 * {@link dev.v86unit.images.internal.rootfs.FirstBoot}) and v86's {@code fs.json} format
 * ({@link dev.v86unit.images.internal.rootfs.FsJson}). {@link dev.v86unit.images.internal.rootfs.RootfsBuilder}
 * puts them together.
 */
package dev.v86unit.images.internal.rootfs;
