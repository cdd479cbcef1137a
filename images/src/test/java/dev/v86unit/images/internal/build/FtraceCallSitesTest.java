package dev.v86unit.images.internal.build;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class FtraceCallSitesTest {

    private static final long TEXT = 0xc1000000L;
    private static final long DATA = 0xc1800000L;
    private static final int TEXT_OFFSET = 0x1000;
    private static final int DATA_OFFSET = 0x40000;
    private static final int SEGMENT = 0x30000;
    private static final int FENTRY = 0x10; // text offset of __fentry__
    private static final int OTHER = 0x20; // text offset of a function that does something
    private static final byte[] NOP5 = {0x0f, 0x1f, 0x44, 0x00, 0x00};

    @Test
    void each_recorded_call_of_a_bare_fentry_becomes_a_nop_and_its_table_entry_zero() {
        int sites = FtraceCallSites.MINIMUM_SITES + 5;
        Kernel kernel = new Kernel(RET_AT_FENTRY);
        int[] calls = kernel.callSites(sites, FENTRY);
        int otherCall = kernel.call(0x2f000, OTHER); // a call of another function: not recorded, kept
        kernel.table(0x100, calls);
        byte[] before = kernel.bytes.clone();

        assertThat(FtraceCallSites.disable(kernel.bytes)).isEqualTo(sites);

        for (int call : calls) {
            assertThat(kernel.textAt(call, 5)).isEqualTo(NOP5);
        }
        assertThat(kernel.textAt(otherCall, 5)).isEqualTo(Arrays.copyOfRange(before, TEXT_OFFSET + otherCall, TEXT_OFFSET + otherCall + 5));
        ByteBuffer data = ByteBuffer.wrap(kernel.bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < sites; i++) {
            assertThat(data.getInt(DATA_OFFSET + 0x100 + 4 * i)).isZero();
        }
        // nothing else changed: the words around the table, the function itself
        assertThat(data.getInt(DATA_OFFSET + 0x100 - 4)).isEqualTo(0x12345678);
        assertThat(data.getInt(DATA_OFFSET + 0x100 + 4 * sites)).isEqualTo(0x12345678);
        assertThat(kernel.textAt(FENTRY, 1)).containsExactly((byte) 0xc3);
    }

    @Test
    void calls_of_a_function_that_does_something_are_left_alone() {
        Kernel kernel = new Kernel(RET_AT_FENTRY);
        kernel.table(0x100, kernel.callSites(FtraceCallSites.MINIMUM_SITES + 5, OTHER));
        byte[] before = kernel.bytes.clone();

        assertThat(FtraceCallSites.disable(kernel.bytes)).isZero();
        assertThat(kernel.bytes).isEqualTo(before);
    }

    @Test
    void a_short_or_unsorted_table_is_not_taken_for_the_kernels() {
        Kernel shortTable = new Kernel(RET_AT_FENTRY);
        shortTable.table(0x100, shortTable.callSites(FtraceCallSites.MINIMUM_SITES - 1, FENTRY));
        byte[] before = shortTable.bytes.clone();
        assertThat(FtraceCallSites.disable(shortTable.bytes)).isZero();
        assertThat(shortTable.bytes).isEqualTo(before);

        Kernel unsorted = new Kernel(RET_AT_FENTRY);
        int[] calls = unsorted.callSites(2 * FtraceCallSites.MINIMUM_SITES - 2, FENTRY);
        int[] reversed = new int[calls.length];
        for (int i = 0; i < calls.length; i++) {
            reversed[i] = calls[calls.length - 1 - i];
        }
        unsorted.table(0x100, reversed);
        before = unsorted.bytes.clone();
        assertThat(FtraceCallSites.disable(unsorted.bytes)).isZero();
        assertThat(unsorted.bytes).isEqualTo(before);
    }

    private static final byte RET_AT_FENTRY = (byte) 0xc3;

    /** An i386 ELF file with a text segment and a data segment, as a kernel's vmlinux has. */
    private static final class Kernel {
        final byte[] bytes = new byte[DATA_OFFSET + SEGMENT];
        private final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);

        Kernel(byte fentry) {
            b.putInt(0, 0x464c457f);
            bytes[4] = 1;
            bytes[5] = 1;
            b.putShort(18, (short) 3);
            b.putInt(24, (int) (TEXT - 0xc0000000L));
            b.putInt(28, 52);
            b.putShort(42, (short) 32);
            b.putShort(44, (short) 2);
            header(52, TEXT_OFFSET, TEXT);
            header(84, DATA_OFFSET, DATA);
            bytes[TEXT_OFFSET + FENTRY] = fentry;
            bytes[TEXT_OFFSET + OTHER] = 0x40; // inc %eax
            bytes[TEXT_OFFSET + OTHER + 1] = (byte) 0xc3;
            Arrays.fill(bytes, DATA_OFFSET, DATA_OFFSET + SEGMENT, (byte) 0);
            for (int at = DATA_OFFSET; at < DATA_OFFSET + SEGMENT; at += 4) {
                b.putInt(at, 0x12345678);
            }
        }

        private void header(int at, int offset, long vaddr) {
            b.putInt(at, 1);
            b.putInt(at + 4, offset);
            b.putInt(at + 8, (int) vaddr);
            b.putInt(at + 12, (int) (vaddr - 0xc0000000L));
            b.putInt(at + 16, SEGMENT);
            b.putInt(at + 20, SEGMENT);
        }

        /** @return the text offsets of {@code count} functions' first instruction, a call of {@code function} */
        int[] callSites(int count, int function) {
            int[] sites = new int[count];
            for (int i = 0; i < count; i++) {
                sites[i] = call(0x100 + 16 * i, function);
                bytes[TEXT_OFFSET + sites[i] + 5] = (byte) 0xc3;
            }
            return sites;
        }

        int call(int at, int function) {
            bytes[TEXT_OFFSET + at] = (byte) 0xe8;
            b.putInt(TEXT_OFFSET + at + 1, function - (at + 5));
            return at;
        }

        void table(int at, int[] sites) {
            for (int i = 0; i < sites.length; i++) {
                b.putInt(DATA_OFFSET + at + 4 * i, (int) (TEXT + sites[i]));
            }
        }

        byte[] textAt(int at, int length) {
            return Arrays.copyOfRange(bytes, TEXT_OFFSET + at, TEXT_OFFSET + at + length);
        }
    }
}
