/**
 * Linux kernel modules without kmod: their metadata ({@code .modinfo} in the ELF file), a load order
 * from their {@code depends=} fields (Debian's kernel package ships no {@code modules.dep}), and the
 * removal of appended signatures (which the emulated CPU would otherwise spend time checking).
 */
package dev.v86unit.images.internal.kmod;
