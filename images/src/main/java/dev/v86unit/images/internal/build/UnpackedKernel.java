package dev.v86unit.images.internal.build;

import org.tukaani.xz.SingleXZInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The kernel proper, taken out of a bzImage at build time so that the guest need not decompress it at
 * every cold boot.
 *
 * <p>A bzImage is real-mode setup code, then a decompressor, then the compressed kernel (an ELF file,
 * {@code vmlinux}). On the emulated CPU the decompressor alone takes ~3 s of a cold boot (measured: the
 * busybox image reached its shell 7.1 s after start with the kernel placed in memory by the host,
 * 10.3 s with the guest decompressing it). The x86 boot protocol lets a boot loader point
 * {@code code32_start} elsewhere, and the decompressor ends by jumping to the kernel's entry with the
 * boot parameters in {@code %esi}, which is what the setup code does with {@code code32_start}; so the
 * host copies the ELF's loadable segments to their physical addresses and points {@code code32_start} at
 * the entry. That is only the same as what the decompressor does when the kernel needs no relocation:
 * its entry is its preferred load address ({@code pref_address}, boot protocol 2.10) and nothing else
 * (KASLR, {@code nokaslr} is on every built-in command line) moves it.
 */
final class UnpackedKernel {

    private static final int SETUP_SECTS = 0x1f1;
    private static final int HEADER_MAGIC = 0x202;
    private static final int PROTOCOL_VERSION = 0x206;
    private static final int PAYLOAD_OFFSET = 0x248;
    private static final int PAYLOAD_LENGTH = 0x24c;
    private static final int PREF_ADDRESS = 0x258;
    private static final int PT_LOAD = 1;
    private static final int EM_386 = 3;

    private UnpackedKernel() {
    }

    /**
     * @return the kernel's ELF file (without the relocation table that follows it in the payload), or
     *         empty with the reason if this bzImage cannot be booted that way
     */
    static Result unpack(byte[] bzImage) {
        ByteBuffer header = ByteBuffer.wrap(bzImage).order(ByteOrder.LITTLE_ENDIAN);
        if (bzImage.length < 0x264 || header.getInt(HEADER_MAGIC) != 0x53726448) {
            return Result.no("not a bzImage");
        }
        int protocol = header.getShort(PROTOCOL_VERSION) & 0xffff;
        if (protocol < 0x20a) {
            return Result.no("boot protocol " + Integer.toHexString(protocol) + " has no pref_address (2.10+)");
        }
        int setupSects = bzImage[SETUP_SECTS] == 0 ? 4 : bzImage[SETUP_SECTS] & 0xff;
        long start = (setupSects + 1L) * 512 + Integer.toUnsignedLong(header.getInt(PAYLOAD_OFFSET));
        long length = Integer.toUnsignedLong(header.getInt(PAYLOAD_LENGTH));
        if (start + length > bzImage.length) {
            return Result.no("its payload lies outside the file");
        }
        byte[] elf;
        try (InputStream in = decompressing(new ByteArrayInputStream(bzImage, (int) start, (int) length))) {
            if (in == null) {
                return Result.no("its payload is compressed in a format other than xz or gzip");
            }
            elf = in.readAllBytes();
        } catch (IOException e) {
            return Result.no("cannot decompress its payload: " + e);
        }
        return checked(elf, header.getLong(PREF_ADDRESS));
    }

    /**
     * The kernel's build appends the uncompressed size (4 bytes) to the compressed stream; a reader of
     * exactly one stream ignores it.
     */
    private static InputStream decompressing(ByteArrayInputStream payload) throws IOException {
        payload.mark(6);
        byte[] magic = payload.readNBytes(6);
        payload.reset();
        if (Arrays.equals(magic, new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0})) {
            return new SingleXZInputStream(payload);
        }
        if ((magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(payload);
        }
        return null;
    }

    private static Result checked(byte[] elf, long prefAddress) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.length < 52 || b.getInt(0) != 0x464c457f) {
            return Result.no("its payload is not an ELF file (compressed in a format we do not read?)");
        }
        if (elf[4] != 1 || elf[5] != 1 || (b.getShort(18) & 0xffff) != EM_386) {
            return Result.no("its payload is not a 32-bit little-endian i386 ELF file");
        }
        long entry = Integer.toUnsignedLong(b.getInt(24));
        if (entry != prefAddress) {
            return Result.no("its entry 0x" + Long.toHexString(entry) + " is not its load address 0x"
                    + Long.toHexString(prefAddress));
        }
        long phoff = Integer.toUnsignedLong(b.getInt(28));
        int phentsize = b.getShort(42) & 0xffff;
        int phnum = b.getShort(44) & 0xffff;
        long shoff = Integer.toUnsignedLong(b.getInt(32));
        long end = Math.max(phoff + (long) phentsize * phnum, shoff + (long) (b.getShort(46) & 0xffff)
                * (b.getShort(48) & 0xffff));
        if (phentsize < 32 || phoff + (long) phentsize * phnum > elf.length) {
            return Result.no("its ELF program headers lie outside the file");
        }
        int loads = 0;
        for (int i = 0; i < phnum; i++) {
            int at = (int) (phoff + (long) phentsize * i);
            long offset = Integer.toUnsignedLong(b.getInt(at + 4));
            long paddr = Integer.toUnsignedLong(b.getInt(at + 12));
            long fileSize = Integer.toUnsignedLong(b.getInt(at + 16));
            end = Math.max(end, offset + fileSize);
            if (b.getInt(at) == PT_LOAD) {
                loads++;
                if (paddr < prefAddress || offset + fileSize > elf.length) {
                    return Result.no("an ELF segment lies below the load address or outside the file");
                }
            }
        }
        if (loads == 0 || end > elf.length) {
            return Result.no("its ELF file has no loadable segment or is cut short");
        }
        return new Result(Optional.of(Arrays.copyOf(elf, (int) end)), "");
    }

    /**
     * @param elf     the kernel's ELF file, if it can be loaded by the host
     * @param whyNot  why not, when {@code elf} is empty
     */
    record Result(Optional<byte[]> elf, String whyNot) {
        static Result no(String why) {
            return new Result(Optional.empty(), why);
        }
    }
}
