package dev.v86unit.images.internal.rootfs;

import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.internal.deb.DebEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A root filesystem being built: the {@link FsTree} and the {@link ContentStore} its files go to. Package
 * members are added as dpkg would unpack them, rootless; everything else (passwd, alternatives, ...)
 * goes through the same small set of operations.
 *
 * <p>Merged /usr, Debian's layout since bookworm: {@code bin}, {@code sbin} and {@code lib} are symlinks
 * into {@code usr/} before the first package is unpacked, so {@code bin/ls} from a package lands in
 * {@code usr/bin/ls}. If a package ships {@code bin/x} and another {@code usr/bin/x}, the {@code usr} one
 * stays whatever the order; otherwise a later package overwrites an earlier one's file (dpkg would insist
 * on {@code Replaces}; we unpack in name order, so the result is still deterministic).
 */
public final class Rootfs {

    private static final Logger LOG = LoggerFactory.getLogger(Rootfs.class);

    /** The mtime of everything the builder creates itself (2023-01-01, the bookworm freeze). */
    public static final long FIXED_MTIME = 1_672_531_200L;
    /** The merged-/usr symlinks at the root. */
    public static final List<String> MERGED_USR = List.of("bin", "sbin", "lib");

    private final FsTree tree = new FsTree(FIXED_MTIME);
    private final ContentStore store;
    /** Canonical paths whose current file came in through a symlink such as {@code bin -> usr/bin}. */
    private final Set<String> viaSymlink = new HashSet<>();
    /** Canonical path -> package that put the file there, for messages. */
    private final Map<String, String> owners = new HashMap<>();
    private int replaced;
    private int skipped;

    public Rootfs(ContentStore store) {
        this.store = store;
        for (String dir : MERGED_USR) {
            dir("usr/" + dir, 0755);
            symlink(dir, "usr/" + dir);
        }
    }

    public FsTree tree() {
        return tree;
    }

    /** Adds one member of package {@code pkg}'s data archive; {@code content} has a regular file's bytes. */
    public void add(String pkg, DebEntry entry, InputStream content) {
        boolean stored = entry.type() == DebEntry.Type.FILE && !Exclusions.excluded(entry.path());
        addStored(pkg, entry, stored ? store.put(content, entry.size()) : null);
    }

    /**
     * Adds one member whose content is already in the store, as {@code sha256} (for regular files that are
     * not {@link Exclusions excluded}; else null). Lets packages be read in parallel and placed in order.
     */
    public void addStored(String pkg, DebEntry entry, String sha256) {
        if (Exclusions.excluded(entry.path())) {
            return;
        }
        FsTree.Location at;
        try {
            at = tree.locate(entry.path());
        } catch (IllegalArgumentException e) {
            throw new ImageBuildException("Package " + pkg + ": cannot unpack /" + entry.path() + ": " + e.getMessage());
        }
        switch (entry.type()) {
            case DIRECTORY -> directory(pkg, entry, at);
            case FILE -> place(pkg, entry.path(), at, new FsTree.File(entry.mode(), entry.mtime(), entry.uid(),
                    entry.gid(), Objects.requireNonNull(sha256, "sha256"), entry.size()));
            case SYMLINK -> place(pkg, entry.path(), at, new FsTree.Symlink(entry.linkTarget(), entry.mtime(),
                    entry.uid(), entry.gid()));
            case HARDLINK -> place(pkg, entry.path(), at, hardLinkTarget(pkg, entry));
            default -> {
                skipped++; // device nodes and fifos: a rootless build cannot make them; devtmpfs has them
                LOG.debug("Package {}: skipping /{} (not a file, directory or link)", pkg, entry.path());
            }
        }
    }

    private void directory(String pkg, DebEntry entry, FsTree.Location at) {
        FsTree.Node existing = at.node();
        if (existing == null) {
            FsTree.Dir dir = new FsTree.Dir(entry.mode(), entry.mtime(), entry.uid(), entry.gid(), true);
            tree.put(at, dir);
        } else if (existing instanceof FsTree.Dir dir) {
            if (!dir.explicit()) {
                dir.define(entry.mode(), entry.mtime(), entry.uid(), entry.gid());
            }
        } else if (!(tree.follow(at.path()).orElse(null) instanceof FsTree.Dir)) {
            // A symlink to a directory stays (that is how bin/ stays a link to usr/bin); anything else clashes.
            throw conflict(pkg, "directory", at.path());
        }
    }

    /** Hard links become separate files with the same content: 9p in v86 has no hard links. */
    private FsTree.File hardLinkTarget(String pkg, DebEntry entry) {
        if (Exclusions.excluded(entry.linkTarget())) {
            throw new ImageBuildException("Package " + pkg + ": /" + entry.path() + " is a hard link to /"
                    + entry.linkTarget() + ", which v86unit leaves out of images");
        }
        if (tree.follow(entry.linkTarget()).orElse(null) instanceof FsTree.File file) {
            return file;
        }
        throw new ImageBuildException("Package " + pkg + ": /" + entry.path() + " is a hard link to /"
                + entry.linkTarget() + ", which is not a regular file unpacked before it");
    }

    private void place(String pkg, String packagePath, FsTree.Location at, FsTree.Node node) {
        boolean throughSymlink = !at.path().equals(packagePath);
        FsTree.Node existing = at.node();
        if (existing instanceof FsTree.Dir) {
            throw conflict(pkg, node instanceof FsTree.Symlink ? "symlink" : "file", at.path());
        }
        if (existing != null) {
            if (throughSymlink && !viaSymlink.contains(at.path())) {
                LOG.debug("Package {}: keeping /{} of {} over /{}", pkg, at.path(), owners.get(at.path()), packagePath);
                return;
            }
            replaced++;
            LOG.debug("Package {} replaces /{} of {}", pkg, at.path(), owners.get(at.path()));
        }
        if (throughSymlink) {
            viaSymlink.add(at.path());
        } else {
            viaSymlink.remove(at.path());
        }
        owners.put(at.path(), pkg);
        tree.put(at, node);
    }

    private ImageBuildException conflict(String pkg, String what, String path) {
        String owner = owners.getOrDefault(path, "another package");
        return new ImageBuildException("Package " + pkg + " ships a " + what + " at /" + path + ", where " + owner
                + " has " + tree.get(path).map(n -> n instanceof FsTree.Dir ? "a directory" : n instanceof FsTree.File
                ? "a file" : "a symlink").orElse("something else") + "; v86unit cannot install both");
    }

    /** Creates or replaces a regular file owned by root. */
    public void file(String path, int mode, byte[] content) {
        file(path, mode, 0, 0, content);
    }

    public void file(String path, int mode, long uid, long gid, byte[] content) {
        FsTree.Location at = tree.locate(path);
        owners.put(at.path(), "v86unit");
        viaSymlink.remove(at.path());
        tree.put(at, new FsTree.File(mode, FIXED_MTIME, uid, gid, store.put(content), content.length));
    }

    public void text(String path, int mode, String content) {
        file(path, mode, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Creates or replaces a symlink. */
    public void symlink(String path, String target) {
        FsTree.Location at = tree.locate(path);
        owners.put(at.path(), "v86unit");
        tree.put(at, new FsTree.Symlink(target, FIXED_MTIME, 0, 0));
    }

    /** Creates a directory if nothing is there; an existing one keeps its metadata. */
    public void dir(String path, int mode) {
        dir(path, mode, 0, 0);
    }

    public void dir(String path, int mode, long uid, long gid) {
        FsTree.Location at = tree.locate(path);
        if (at.node() == null) {
            tree.put(at, new FsTree.Dir(mode, FIXED_MTIME, uid, gid, true));
        }
    }

    /** @return the content of the regular file {@code path} leads to */
    public Optional<byte[]> read(String path) {
        return tree.follow(path).filter(FsTree.File.class::isInstance)
                .map(node -> store.read(((FsTree.File) node).sha256()));
    }

    /** As {@code test -e}: something is there, following symlinks. */
    public boolean exists(String path) {
        return tree.follow(path).isPresent();
    }

    /** As {@code test -e || test -L}. */
    public boolean present(String path) {
        return tree.get(path).isPresent();
    }

    public void remove(String path) {
        tree.remove(path);
    }

    /** Files that a later package overwrote. */
    public int replacedFiles() {
        return replaced;
    }

    /** Device nodes and fifos left out. */
    public int skippedSpecialFiles() {
        return skipped;
    }
}
