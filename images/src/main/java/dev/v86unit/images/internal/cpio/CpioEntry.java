package dev.v86unit.images.internal.cpio;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One member of a newc archive. Paths are relative to the archive root, without a leading '/'
 * ({@code bin/busybox}); they are normalized on construction.
 *
 * @param permissions the permission bits, including setuid/setgid/sticky ({@code 01777} for /tmp)
 * @param data        file content or symlink target; empty for directories and devices
 */
public record CpioEntry(String path, Type type, int permissions, byte[] data, int rdevMajor, int rdevMinor) {

    public enum Type {
        DIRECTORY(0040000), FILE(0100000), SYMLINK(0120000), CHAR_DEVICE(0020000);

        final int modeBits;

        Type(int modeBits) {
            this.modeBits = modeBits;
        }
    }

    public CpioEntry {
        path = normalize(path);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if ((permissions & ~07777) != 0) {
            throw new IllegalArgumentException("Permissions of " + path + " must fit in 07777, were 0"
                    + Integer.toOctalString(permissions));
        }
    }

    public static CpioEntry directory(String path, int permissions) {
        return new CpioEntry(path, Type.DIRECTORY, permissions, new byte[0], 0, 0);
    }

    public static CpioEntry file(String path, int permissions, byte[] content) {
        return new CpioEntry(path, Type.FILE, permissions, content, 0, 0);
    }

    public static CpioEntry symlink(String path, String target) {
        return new CpioEntry(path, Type.SYMLINK, 0777, target.getBytes(StandardCharsets.UTF_8), 0, 0);
    }

    public static CpioEntry charDevice(String path, int permissions, int major, int minor) {
        return new CpioEntry(path, Type.CHAR_DEVICE, permissions, new byte[0], major, minor);
    }

    public int mode() {
        return type.modeBits | permissions;
    }

    /** The directory this entry lives in, or "" for top-level entries. */
    public String parent() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    static String normalize(String path) {
        Objects.requireNonNull(path, "path");
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        for (String segment : p.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("Invalid archive path '" + path + "'");
            }
        }
        return p;
    }
}
