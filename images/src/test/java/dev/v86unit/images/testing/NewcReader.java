package dev.v86unit.images.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An independent, strict reader of newc archives, to check what the writer produced. */
public final class NewcReader {

    /** One parsed header and its body. */
    public record Entry(String name, long inode, int mode, long uid, long gid, long nlink, long mtime,
                        int rdevMajor, int rdevMinor, byte[] data) {

        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        public int type() {
            return mode & 0170000;
        }

        public int permissions() {
            return mode & 07777;
        }
    }

    private NewcReader() {
    }

    /**
     * @return the entries in archive order, the trailer excluded
     * @throws IllegalArgumentException if the archive is malformed, misaligned or lacks the trailer
     */
    public static List<Entry> read(byte[] archive) {
        List<Entry> entries = new ArrayList<>();
        int pos = 0;
        while (true) {
            if (pos % 4 != 0) {
                throw new IllegalArgumentException("Header at " + pos + " is not 4-byte aligned");
            }
            if (pos + 110 > archive.length) {
                throw new IllegalArgumentException("No TRAILER!!! before the end of the archive");
            }
            String header = new String(archive, pos, 110, StandardCharsets.US_ASCII);
            if (!header.startsWith("070701")) {
                throw new IllegalArgumentException("Bad magic at " + pos + ": " + header.substring(0, 6));
            }
            long[] f = new long[13];
            for (int i = 0; i < 13; i++) {
                String hex = header.substring(6 + i * 8, 14 + i * 8);
                if (!hex.matches("[0-9A-Fa-f]{8}")) {
                    throw new IllegalArgumentException("Bad header field " + i + " at " + pos + ": " + hex);
                }
                f[i] = Long.parseLong(hex, 16);
            }
            int nameSize = (int) f[11];
            int nameStart = pos + 110;
            if (archive[nameStart + nameSize - 1] != 0) {
                throw new IllegalArgumentException("Name at " + nameStart + " is not NUL-terminated");
            }
            String name = new String(archive, nameStart, nameSize - 1, StandardCharsets.UTF_8);
            int dataStart = align(nameStart + nameSize);
            checkZeros(archive, nameStart + nameSize, dataStart);
            int size = (int) f[6];
            if (name.equals("TRAILER!!!")) {
                if (dataStart + size != archive.length) {
                    throw new IllegalArgumentException("Bytes after the trailer: " + (archive.length - dataStart));
                }
                return entries;
            }
            byte[] data = Arrays.copyOfRange(archive, dataStart, dataStart + size);
            entries.add(new Entry(name, f[0], (int) f[1], f[2], f[3], f[4], f[5], (int) f[9], (int) f[10], data));
            pos = align(dataStart + size);
            checkZeros(archive, dataStart + size, pos);
        }
    }

    public static Map<String, Entry> byName(byte[] archive) {
        Map<String, Entry> map = new LinkedHashMap<>();
        for (Entry entry : read(archive)) {
            map.put(entry.name(), entry);
        }
        return map;
    }

    private static void checkZeros(byte[] archive, int from, int to) {
        for (int i = from; i < to; i++) {
            if (archive[i] != 0) {
                throw new IllegalArgumentException("Padding byte at " + i + " is not zero");
            }
        }
    }

    private static int align(int offset) {
        return (offset + 3) & ~3;
    }
}
