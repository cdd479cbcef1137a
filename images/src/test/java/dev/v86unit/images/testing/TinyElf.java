package dev.v86unit.images.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A minimal 32-bit little-endian ELF relocatable with sections null, .text, .modinfo and .shstrtab:
 * enough for a .modinfo reader, laid out like a real module (section headers at the end).
 */
public final class TinyElf {

    private TinyElf() {
    }

    /** A module whose .modinfo holds {@code entries} ("name=virtio", "depends=..."). */
    public static byte[] module(List<String> entries) {
        ByteArrayOutputStream modinfo = new ByteArrayOutputStream();
        for (String entry : entries) {
            modinfo.writeBytes(entry.getBytes(StandardCharsets.UTF_8));
            modinfo.write(0);
        }
        return elf(new byte[] {(byte) 0x90, (byte) 0x90, (byte) 0xc3, 0}, modinfo.toByteArray(), (byte) 1);
    }

    /** The module of {@code name} with the usual fields: name, depends, vermagic, and a license. */
    public static byte[] module(String name, String depends, String kernelVersion) {
        return module(List.of("license=GPL", "depends=" + depends, "retpoline=Y", "intree=Y", "name=" + name,
                "vermagic=" + kernelVersion + " SMP preempt mod_unload modversions 686 "));
    }

    /** Same layout, but with a chosen EI_CLASS byte (2 = 64-bit) to test rejection. */
    public static byte[] withElfClass(byte elfClass) {
        return elf(new byte[4], "name=x\0".getBytes(StandardCharsets.US_ASCII), elfClass);
    }

    private static byte[] elf(byte[] text, byte[] modinfo, byte elfClass) {
        byte[] shstrtab = "\0.text\0.modinfo\0.shstrtab\0".getBytes(StandardCharsets.US_ASCII);
        int textOffset = 52;
        int modinfoOffset = align(textOffset + text.length);
        int shstrtabOffset = align(modinfoOffset + modinfo.length);
        int shoff = align(shstrtabOffset + shstrtab.length);
        ByteBuffer elf = ByteBuffer.allocate(shoff + 4 * 40).order(ByteOrder.LITTLE_ENDIAN);
        elf.put(new byte[] {0x7f, 'E', 'L', 'F', elfClass, 1, 1, 0});
        elf.position(16);
        elf.putShort((short) 1);   // e_type ET_REL
        elf.putShort((short) 3);   // e_machine EM_386
        elf.putInt(1);             // e_version
        elf.putInt(0);             // e_entry
        elf.putInt(0);             // e_phoff
        elf.putInt(shoff);         // e_shoff
        elf.putInt(0);             // e_flags
        elf.putShort((short) 52);  // e_ehsize
        elf.putShort((short) 0);   // e_phentsize
        elf.putShort((short) 0);   // e_phnum
        elf.putShort((short) 40);  // e_shentsize
        elf.putShort((short) 4);   // e_shnum
        elf.putShort((short) 3);   // e_shstrndx
        elf.put(textOffset, text);
        elf.put(modinfoOffset, modinfo);
        elf.put(shstrtabOffset, shstrtab);
        elf.position(shoff + 40); // section 0 stays all zero
        section(elf, 1, 1, textOffset, text.length);       // .text: SHT_PROGBITS
        section(elf, 7, 1, modinfoOffset, modinfo.length); // .modinfo: SHT_PROGBITS
        section(elf, 16, 3, shstrtabOffset, shstrtab.length); // .shstrtab: SHT_STRTAB
        return elf.array();
    }

    private static void section(ByteBuffer elf, int name, int type, int offset, int size) {
        elf.putInt(name).putInt(type).putInt(0).putInt(0).putInt(offset).putInt(size)
                .putInt(0).putInt(0).putInt(1).putInt(0);
    }

    private static int align(int offset) {
        return (offset + 3) & ~3;
    }

    /** Appends a fake signature the way scripts/sign-file does. */
    public static byte[] signed(byte[] module, int signatureLength) {
        ByteBuffer out = ByteBuffer.allocate(module.length + signatureLength + 12 + 28);
        out.put(module);
        for (int i = 0; i < signatureLength; i++) {
            out.put((byte) (0x30 + i % 7));
        }
        out.put(new byte[] {0, 0, 2, 0, 0, 0, 0, 0}); // algo, hash, id_type PKCS#7, signer_len, key_id_len, pad
        out.putInt(signatureLength);                  // big-endian, ByteBuffer's default order
        out.put("~Module signature appended~\n".getBytes(StandardCharsets.US_ASCII));
        return out.array();
    }
}
