package dev.v86unit.images.internal.rootfs;

import dev.v86unit.images.ImageBuildException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an uncompressed tar (a root filesystem, or one layer of a container image) into
 * {@link LayerEntry}s, the files' contents into the {@link ContentStore}. Refuses what cannot be a
 * root filesystem for v86's 9p share, naming the input and the member: absolute paths and {@code ..}
 * (a tar that writes outside its root), and device nodes (a rootless build cannot create them; the
 * guest's devtmpfs provides {@code /dev}). FIFOs are left out.
 */
public final class TarLayer {

    private TarLayer() {
    }

    /**
     * @param tar  the tar bytes, already decompressed; not closed here
     * @param what the input, for messages, e.g. {@code rootfs:file:build/alpine.tar.gz}
     * @throws ImageBuildException if it is not a tar or holds a member that cannot be
     */
    public static List<LayerEntry> read(InputStream tar, String what, ContentStore store) {
        List<LayerEntry> entries = new ArrayList<>();
        TarArchiveInputStream in = new TarArchiveInputStream(tar);
        boolean any = false;
        try {
            for (TarArchiveEntry entry; (entry = nextEntry(in, what, any)) != null; ) {
                any = true;
                String path = normalise(entry.getName(), what);
                int mode = entry.getMode() & 07777;
                long mtime = Math.max(0, entry.getModTime().getTime() / 1000);
                long uid = entry.getLongUserId();
                long gid = entry.getLongGroupId();
                if (entry.isCharacterDevice() || entry.isBlockDevice()) {
                    throw new ImageBuildException(what + ": /" + path + " is a device node ("
                            + (entry.isCharacterDevice() ? "character" : "block") + " " + entry.getDevMajor() + ","
                            + entry.getDevMinor() + "); v86unit cannot create device nodes and the guest's devtmpfs"
                            + " provides /dev: leave them out of the archive (e.g. tar --exclude='./dev/*')");
                }
                if (path.isEmpty() || entry.isFIFO()) {
                    continue; // the root itself ("./"), or a fifo: nothing a guest needs from an image
                }
                if (entry.isDirectory()) {
                    entries.add(new LayerEntry(path, LayerEntry.Type.DIRECTORY, mode, uid, gid, mtime, 0, null, null));
                } else if (entry.isSymbolicLink()) {
                    entries.add(new LayerEntry(path, LayerEntry.Type.SYMLINK, mode, uid, gid, mtime, 0, null,
                            entry.getLinkName()));
                } else if (entry.isLink()) {
                    entries.add(new LayerEntry(path, LayerEntry.Type.HARDLINK, mode, uid, gid, mtime, 0, null,
                            normalise(entry.getLinkName(), what)));
                } else if (entry.isFile()) {
                    String sha256 = store.put(in, entry.getSize());
                    entries.add(new LayerEntry(path, LayerEntry.Type.FILE, mode, uid, gid, mtime, entry.getSize(), sha256,
                            null));
                } else {
                    throw new ImageBuildException(what + ": /" + path + " is a tar member of an unsupported type ('"
                            + (char) entry.getLinkFlag() + "')");
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw new ImageBuildException(what + ": cannot read the tar: " + e.getMessage(), e);
        }
        if (!any) {
            throw new ImageBuildException(what + " is not a tar archive (or an empty one): no member found");
        }
        return entries;
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream in, String what, boolean any) {
        try {
            return in.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            throw new ImageBuildException(what + (any ? ": the tar is damaged: " + e.getMessage()
                    : " is not a tar archive (nor a gzip, xz, zstd or bzip2 compressed one): " + e.getMessage()), e);
        }
    }

    /**
     * {@code ./usr/bin/} -> {@code usr/bin}; refuses absolute paths and {@code ..}, which could write
     * outside the root when unpacked.
     */
    static String normalise(String name, String what) {
        if (name.startsWith("/")) {
            throw new ImageBuildException(what + ": member '" + name + "' has an absolute path; a root filesystem"
                    + " archive holds paths relative to its root (tar -C <root> -cf ... .)");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                throw new ImageBuildException(what + ": member '" + name + "' has a '..' component, which would"
                        + " reach outside the root filesystem");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }
}
