package dev.v86unit.images.internal.build;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Does at build time, once, what the kernel's function tracer does at every boot: turns each traceable
 * call site into a no-op.
 *
 * <p>Debian's kernels are built with dynamic ftrace: the compiler starts every traceable function with
 * {@code call __fentry__} (5 bytes), and the build records the address of each such call, sorted, in a
 * table ({@code __mcount_loc}, kept in the init data). At boot {@code ftrace_init} looks each recorded
 * site up in kallsyms and overwrites it with a 5-byte NOP. On the emulated CPU that was the largest part
 * of a cold boot's kernel start-up (39% of the instruction-pointer samples up to the first shell,
 * ~37,000 sites in bookworm's 686 kernel), and it is the same work at every boot.
 *
 * <p>Here the table is found by what it is: the longest ascending run of 32-bit words that are each
 * the address of a {@code call} (opcode E8) to one and the same function, and that function is
 * {@code __fentry__}, a bare {@code ret} (C3). Each of those calls becomes the NOP the kernel would
 * write ({@code 0F 1F 44 00 00}), and its table entry becomes 0, which {@code ftrace_process_locs}
 * skips ("Skip any NULL pointers"). Replacing a call to a function that only returns changes nothing
 * the kernel does; what the guest loses is the function tracer for the kernel proper (its call sites
 * are no longer recorded; modules' sites still are, when they load), which tests of user programs do
 * not use. The images' command line also skips making tracefs's tracer files
 * ({@link BuiltInRecipes#FAST_CMDLINE}), so no function tracing is offered at all. A kernel without
 * such a table (or without a bare {@code __fentry__}) is left as it is.
 */
final class FtraceCallSites {

    /** x86's 5-byte NOP ({@code nopl 0x0(%eax,%eax,1)}), what ftrace_make_nop writes. */
    private static final byte[] NOP5 = {0x0f, 0x1f, 0x44, 0x00, 0x00};
    private static final int CALL = 0xe8;
    private static final int RET = 0xc3;
    private static final int PT_LOAD = 1;
    /** Fewer would not be a kernel's table: bookworm's 686 kernel has ~37,000 sites. */
    static final int MINIMUM_SITES = 1000;

    private final ByteBuffer elf;
    private final List<long[]> segments = new ArrayList<>(); // {vaddr, file offset, file size}

    private FtraceCallSites(byte[] elf) {
        this.elf = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = Integer.toUnsignedLong(this.elf.getInt(28));
        int phentsize = this.elf.getShort(42) & 0xffff;
        int phnum = this.elf.getShort(44) & 0xffff;
        for (int i = 0; i < phnum; i++) {
            int at = (int) (phoff + (long) phentsize * i);
            if (this.elf.getInt(at) == PT_LOAD) {
                segments.add(new long[] {Integer.toUnsignedLong(this.elf.getInt(at + 8)),
                        Integer.toUnsignedLong(this.elf.getInt(at + 4)), Integer.toUnsignedLong(this.elf.getInt(at + 16))});
            }
        }
    }

    /**
     * Makes the kernel's traceable call sites no-ops, in place.
     *
     * @param elf a checked i386 kernel ELF file (see {@link UnpackedKernel})
     * @return how many call sites were made no-ops (0: the file is unchanged)
     */
    static int disable(byte[] elf) {
        return new FtraceCallSites(elf).disable();
    }

    private int disable() {
        long[] table = longestTable(); // {file offset, entries, target}
        if (table[1] < MINIMUM_SITES) {
            return 0;
        }
        int target = fileOffset(table[2], 1);
        if (target < 0 || (elf.get(target) & 0xff) != RET) {
            return 0;
        }
        for (int i = 0; i < table[1]; i++) {
            int entry = (int) table[0] + 4 * i;
            elf.put(fileOffset(Integer.toUnsignedLong(elf.getInt(entry)), 5), NOP5);
            elf.putInt(entry, 0);
        }
        return (int) table[1];
    }

    /** @return {file offset, length, call target} of the longest ascending run of call-site addresses */
    private long[] longestTable() {
        long[] best = {0, 0, 0};
        for (long[] segment : segments) {
            long runStart = 0;
            long length = 0;
            long previous = 0;
            long target = -1;
            long end = segment[1] + segment[2] - 4;
            for (long at = segment[1]; at <= end + 4; at += 4) {
                long word = at <= end ? Integer.toUnsignedLong(elf.getInt((int) at)) : 0;
                long calls = at <= end ? callTarget(word) : -1;
                if (length > 0 && calls == target && word > previous) {
                    length++;
                    previous = word;
                    continue;
                }
                if (length > best[1]) {
                    best = new long[] {runStart, length, target};
                }
                length = calls < 0 ? 0 : 1;
                runStart = at;
                previous = word;
                target = calls;
            }
        }
        return best;
    }

    /** @return the function that the 5-byte call at this address calls, or -1 if it is not one */
    private long callTarget(long address) {
        int at = fileOffset(address, 5);
        if (at < 0 || (elf.get(at) & 0xff) != CALL) {
            return -1;
        }
        return (address + 5 + elf.getInt(at + 1)) & 0xffffffffL;
    }

    /** @return where {@code length} bytes at this virtual address are in the file, or -1 if they are not all in it */
    private int fileOffset(long address, int length) {
        for (long[] segment : segments) {
            if (address >= segment[0] && address + length <= segment[0] + segment[2]) {
                return (int) (segment[1] + address - segment[0]);
            }
        }
        return -1;
    }
}
