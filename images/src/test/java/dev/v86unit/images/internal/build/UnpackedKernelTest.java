package dev.v86unit.images.internal.build;

import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.X86Options;
import org.tukaani.xz.XZOutputStream;
import org.tukaani.xz.FilterOptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class UnpackedKernelTest {

    private static final int LOAD = 0x1000000;
    private static final byte[] TEXT = "kernel text, kernel text, kernel text".getBytes();
    /** What the kernel's build appends to vmlinux in the payload (the relocation table): not kept. */
    private static final byte[] RELOCS = {1, 2, 3, 4, 5, 6, 7, 8};

    @Test
    void an_xz_payload_gives_the_elf_file_without_what_follows_it() throws IOException {
        byte[] elf = elf(LOAD);
        UnpackedKernel.Result result = UnpackedKernel.unpack(bzImage(xz(concat(elf, RELOCS)), LOAD));

        assertThat(result.whyNot()).isEmpty();
        assertThat(result.elf()).hasValueSatisfying(unpacked -> assertThat(unpacked).isEqualTo(elf));
    }

    @Test
    void a_gzip_payload_gives_the_elf_file() throws IOException {
        byte[] elf = elf(LOAD);
        assertThat(UnpackedKernel.unpack(bzImage(gzip(concat(elf, RELOCS)), LOAD)).elf())
                .hasValueSatisfying(unpacked -> assertThat(unpacked).isEqualTo(elf));
    }

    @Test
    void a_kernel_whose_entry_is_not_its_load_address_is_left_to_its_decompressor() throws IOException {
        UnpackedKernel.Result result = UnpackedKernel.unpack(bzImage(xz(elf(LOAD + 0x1000)), LOAD));

        assertThat(result.elf()).isEmpty();
        assertThat(result.whyNot()).contains("entry 0x1001000 is not its load address 0x1000000");
    }

    @Test
    void a_payload_in_another_format_is_left_to_the_decompressor() {
        UnpackedKernel.Result result = UnpackedKernel.unpack(bzImage("BZh91AY&SY not read here".getBytes(), LOAD));

        assertThat(result.elf()).isEmpty();
        assertThat(result.whyNot()).contains("other than xz or gzip");
    }

    @Test
    void a_cut_payload_or_a_file_that_is_no_bzimage_is_refused_with_the_reason() throws IOException {
        byte[] payload = xz(elf(LOAD));
        assertThat(UnpackedKernel.unpack(bzImage(Arrays.copyOf(payload, payload.length / 2), LOAD)).whyNot())
                .startsWith("cannot decompress its payload");
        assertThat(UnpackedKernel.unpack(new byte[4096]).whyNot()).isEqualTo("not a bzImage");
        assertThat(UnpackedKernel.unpack(bzImage(xz("not an ELF file".getBytes()), LOAD)).whyNot())
                .contains("not an ELF file");
    }

    /** An i386 ELF executable with one loadable segment at {@code entry}'s page, entry {@code entry}. */
    private static byte[] elf(int entry) {
        ByteBuffer b = ByteBuffer.allocate(52 + 32 + TEXT.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1, 0}).position(16);
        b.putShort((short) 2).putShort((short) 3).putInt(1).putInt(entry).putInt(52).putInt(0).putInt(0);
        b.putShort((short) 52).putShort((short) 32).putShort((short) 1).putShort((short) 40).putShort((short) 0)
                .putShort((short) 0);
        b.putInt(1).putInt(84).putInt(0xc0000000 + LOAD).putInt(LOAD).putInt(TEXT.length).putInt(TEXT.length + 64)
                .putInt(5).putInt(0x1000);
        b.put(TEXT);
        return b.array();
    }

    /** A bzImage's header (boot protocol 2.15, one setup sector), then {@code payload} and its size. */
    private static byte[] bzImage(byte[] payload, int prefAddress) {
        int setup = 2 * 512;
        ByteBuffer b = ByteBuffer.allocate(setup + 0x40 + payload.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1f1, (byte) 1);
        b.putInt(0x202, 0x53726448).putShort(0x206, (short) 0x20f);
        b.putInt(0x248, 0x40).putInt(0x24c, payload.length + 4).putLong(0x258, prefAddress);
        b.position(setup + 0x40);
        b.put(payload).putInt(12345);
        return b.array();
    }

    private static byte[] xz(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // like the kernel's: the x86 branch filter before LZMA2, CRC32
        try (OutputStream xz = new XZOutputStream(out, new FilterOptions[] {new X86Options(), new LZMA2Options()},
                org.tukaani.xz.XZ.CHECK_CRC32)) {
            xz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
