package dev.v86unit.images.internal.deb;

/**
 * One member of a {@code .deb}'s data archive, as dpkg would unpack it.
 *
 * @param path       without a leading "./" or "/" and without a trailing "/", e.g. {@code usr/bin/awk}
 * @param mode       the permission bits, including setuid/setgid/sticky ({@code 07777})
 * @param mtime      seconds since the epoch
 * @param size       of a regular file's content, else 0
 * @param linkTarget a symlink's target as written; a hard link's target path, normalized like {@code path};
 *                   else empty
 */
public record DebEntry(String path, Type type, int mode, long mtime, long uid, long gid, long size,
                       String linkTarget) {

    /** What the entry is; device nodes and fifos are {@link #OTHER} (a rootless unpack cannot make them). */
    public enum Type { FILE, DIRECTORY, SYMLINK, HARDLINK, OTHER }
}
