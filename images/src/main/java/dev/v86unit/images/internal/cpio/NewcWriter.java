package dev.v86unit.images.internal.cpio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a reproducible newc cpio archive: entries sorted by path (so parents precede children), owner
 * root, mtime 0, inode numbers counted up in that order, so equal inputs give equal bytes. No
 * compression: the guest would spend seconds inflating it inside the emulator.
 */
public final class NewcWriter {

    static final String MAGIC = "070701";
    static final String TRAILER = "TRAILER!!!";
    private static final int MTIME = 0;

    private NewcWriter() {
    }

    /**
     * @throws IllegalArgumentException if two entries share a path or an entry's parent directory is missing
     */
    public static byte[] write(Collection<CpioEntry> entries) {
        List<CpioEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(CpioEntry::path));
        checkTree(sorted);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int inode = 1;
        for (CpioEntry entry : sorted) {
            int nlink = entry.type() == CpioEntry.Type.DIRECTORY ? 2 : 1;
            writeHeader(out, inode++, entry.mode(), nlink, entry.data().length, entry.rdevMajor(), entry.rdevMinor(),
                    entry.path());
            out.writeBytes(entry.data());
            pad(out);
        }
        writeHeader(out, 0, 0, 1, 0, 0, 0, TRAILER);
        return out.toByteArray();
    }

    private static void checkTree(List<CpioEntry> sorted) {
        Set<String> directories = new HashSet<>();
        directories.add("");
        Set<String> seen = new HashSet<>();
        for (CpioEntry entry : sorted) {
            if (!seen.add(entry.path())) {
                throw new IllegalArgumentException("Duplicate archive entry " + entry.path());
            }
            if (!directories.contains(entry.parent())) {
                throw new IllegalArgumentException("Entry " + entry.path() + " has no parent directory entry "
                        + entry.parent());
            }
            if (entry.type() == CpioEntry.Type.DIRECTORY) {
                directories.add(entry.path());
            }
        }
    }

    private static void writeHeader(ByteArrayOutputStream out, int inode, int mode, int nlink, int fileSize,
                                    int rdevMajor, int rdevMinor, String name) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder(110).append(MAGIC);
        int[] fields = {inode, mode, 0 /* uid */, 0 /* gid */, nlink, MTIME, fileSize, 0, 0, rdevMajor, rdevMinor,
            nameBytes.length + 1, 0 /* check */};
        for (int field : fields) {
            header.append(String.format(Locale.ROOT, "%08X", field));
        }
        out.writeBytes(header.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(nameBytes);
        out.write(0);
        pad(out);
    }

    /** newc aligns every header and every file body to 4 bytes from the archive start. */
    private static void pad(ByteArrayOutputStream out) {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }
}
