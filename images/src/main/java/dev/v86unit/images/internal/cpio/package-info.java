/**
 * The initramfs container format: SVR4 "newc" cpio, as the Linux kernel unpacks it
 * ({@code Documentation/driver-api/early-userspace/buffer-format.rst}).
 */
package dev.v86unit.images.internal.cpio;
