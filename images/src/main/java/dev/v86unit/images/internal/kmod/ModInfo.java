package dev.v86unit.images.internal.kmod;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code .modinfo} section of a kernel module: NUL-separated {@code key=value} strings such as
 * {@code name=9pnet_virtio}, {@code depends=virtio,9pnet,virtio_ring}, {@code vermagic=6.1.0-50-686 SMP ...}.
 * Keys may repeat ({@code alias=}), so each maps to a list. Reads 32-bit ELF (i386), either byte order.
 */
public record ModInfo(Map<String, List<String>> fields) {

    private static final String SECTION = ".modinfo";

    public ModInfo {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        fields.forEach((key, values) -> copy.put(key, List.copyOf(values)));
        fields = Collections.unmodifiableMap(copy);
    }

    /** @throws IllegalArgumentException if {@code elf} is not a 32-bit ELF file with a {@code .modinfo} section */
    public static ModInfo parse(byte[] elf) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (String entry : new String(section(elf), StandardCharsets.UTF_8).split("\0")) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                fields.computeIfAbsent(entry.substring(0, equals), k -> new ArrayList<>())
                        .add(entry.substring(equals + 1));
            }
        }
        return new ModInfo(fields);
    }

    public Optional<String> first(String key) {
        List<String> values = fields.getOrDefault(key, List.of());
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The module name the kernel uses (and {@code depends=} refers to), e.g. {@code 9pnet_virtio}. */
    public Optional<String> name() {
        return first("name");
    }

    /** The modules that must be loaded first; empty if none. */
    public List<String> depends() {
        return first("depends").filter(d -> !d.isBlank())
                .map(d -> Arrays.stream(d.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    public Optional<String> vermagic() {
        return first("vermagic");
    }

    private static byte[] section(byte[] elf) {
        if (elf.length < 52 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F') {
            throw new IllegalArgumentException("Not an ELF file");
        }
        if (elf[4] != 1) {
            throw new IllegalArgumentException("Not a 32-bit ELF file (EI_CLASS " + elf[4] + ")");
        }
        ByteBuffer buf = ByteBuffer.wrap(elf).order(elf[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        long shoff = Integer.toUnsignedLong(buf.getInt(0x20));
        int shentsize = Short.toUnsignedInt(buf.getShort(0x2E));
        int shnum = Short.toUnsignedInt(buf.getShort(0x30));
        int shstrndx = Short.toUnsignedInt(buf.getShort(0x32));
        if (shentsize < 40 || shstrndx >= shnum || shoff + (long) shnum * shentsize > elf.length) {
            throw new IllegalArgumentException("Corrupt ELF section header table");
        }
        int namesOffset = checkedRange(elf, buf, (int) shoff + shstrndx * shentsize)[0];
        for (int i = 0; i < shnum; i++) {
            int header = (int) shoff + i * shentsize;
            String name = cString(elf, namesOffset + buf.getInt(header));
            if (name.equals(SECTION)) {
                int[] range = checkedRange(elf, buf, header);
                return Arrays.copyOfRange(elf, range[0], range[0] + range[1]);
            }
        }
        throw new IllegalArgumentException("No " + SECTION + " section");
    }

    /** {sh_offset, sh_size} of the section header at {@code header}, checked against the file size. */
    private static int[] checkedRange(byte[] elf, ByteBuffer buf, int header) {
        long offset = Integer.toUnsignedLong(buf.getInt(header + 16));
        long size = Integer.toUnsignedLong(buf.getInt(header + 20));
        if (offset + size > elf.length) {
            throw new IllegalArgumentException("ELF section at header " + header + " extends past the end of the file");
        }
        return new int[] {(int) offset, (int) size};
    }

    private static String cString(byte[] data, int offset) {
        if (offset < 0 || offset >= data.length) {
            throw new IllegalArgumentException("ELF section name offset out of range");
        }
        int end = offset;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
