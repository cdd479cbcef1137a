package dev.v86unit.images.internal.rootfs;

/**
 * One member of a root filesystem tar or container image layer, its content (if a regular file) already
 * in the {@link ContentStore}.
 *
 * @param path   relative, '/'-separated, without '.', '..' or a leading '/' ({@code usr/bin/env})
 * @param mode   the permission bits ({@code 07777})
 * @param sha256 a regular file's content; null otherwise
 * @param link   a symlink's target as written, or a hard link's target path (normalised as {@code path});
 *               null otherwise
 */
public record LayerEntry(String path, Type type, int mode, long uid, long gid, long mtime, long size, String sha256,
                         String link) {

    /** What a member is. */
    public enum Type { DIRECTORY, FILE, SYMLINK, HARDLINK }

    /** The member's name, the last path component. */
    public String name() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** The folder the member is in; "" for the root. */
    public String parent() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }
}
