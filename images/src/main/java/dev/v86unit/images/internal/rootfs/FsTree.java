package dev.v86unit.images.internal.rootfs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * A root filesystem assembled in memory: directories, regular files (named by the sha256 of their content,
 * which lives elsewhere) and symlinks. Paths are relative to the root and '/'-separated
 * ({@code usr/bin/awk}).
 *
 * <p>Lookups follow symlinks in every component but the last, as dpkg does when it unpacks: with
 * {@code bin -> usr/bin} in place, a package's {@code bin/ls} lands in {@code usr/bin/ls}. That is all the
 * merged-/usr layout needs. Children are kept sorted by name, so walking the tree is deterministic.
 */
public final class FsTree {

    /** As Linux's limit: more hops than this is a loop. */
    static final int MAX_SYMLINK_HOPS = 40;

    /** A directory, regular file or symlink. */
    public sealed interface Node permits Dir, File, Symlink {
        long mtime();

        long uid();

        long gid();
    }

    /**
     * A directory. {@code explicit} is false while it exists only because something was put below it; the
     * first package that lists it then gives it its metadata (later ones do not change it, as with dpkg).
     */
    public static final class Dir implements Node {
        private int mode;
        private long mtime;
        private long uid;
        private long gid;
        private boolean explicit;
        private final Map<String, Node> children = new TreeMap<>();

        Dir(int mode, long mtime, long uid, long gid, boolean explicit) {
            this.mode = mode;
            this.mtime = mtime;
            this.uid = uid;
            this.gid = gid;
            this.explicit = explicit;
        }

        /** The permission bits ({@code 07777}). */
        public int mode() {
            return mode;
        }

        @Override
        public long mtime() {
            return mtime;
        }

        @Override
        public long uid() {
            return uid;
        }

        @Override
        public long gid() {
            return gid;
        }

        boolean explicit() {
            return explicit;
        }

        /** Sets the metadata; it counts as listed by a package from now on. */
        void define(int mode, long mtime, long uid, long gid) {
            this.mode = mode;
            this.mtime = mtime;
            this.uid = uid;
            this.gid = gid;
            this.explicit = true;
        }

        /** Name -> node, sorted by name. */
        public Map<String, Node> children() {
            return Collections.unmodifiableMap(children);
        }
    }

    /** A regular file; {@code mode} holds the permission bits ({@code 07777}). */
    public record File(int mode, long mtime, long uid, long gid, String sha256, long size) implements Node {
    }

    /** A symlink; {@code target} as written, relative or absolute. */
    public record Symlink(String target, long mtime, long uid, long gid) implements Node {
    }

    /**
     * Where a path leads: its last component {@code name} in directory {@code parent}; {@code path} is the
     * canonical path (no symlinks), e.g. {@code usr/bin/ls} for {@code bin/ls}. For the root itself
     * {@code parent} is null and both names are empty.
     */
    public record Location(Dir parent, String name, String path) {

        /** @return the node there, or null */
        public Node node() {
            return parent == null ? null : parent.children.get(name);
        }
    }

    private final Dir root;
    private final long defaultMtime;

    /** @param defaultMtime the mtime of the root and of directories created implicitly */
    public FsTree(long defaultMtime) {
        this.root = new Dir(0755, defaultMtime, 0, 0, true);
        this.defaultMtime = defaultMtime;
    }

    public Dir root() {
        return root;
    }

    /**
     * Resolves {@code path} for writing: follows symlinks in all components but the last and creates
     * missing directories (mode 0755, not yet {@link Dir#explicit() explicit}) on the way.
     *
     * @throws IllegalArgumentException if a component is a file, or symlinks loop
     */
    public Location locate(String path) {
        return resolve(path, true, false);
    }

    /** @return the node at {@code path}, following symlinks in all components but the last */
    public Optional<Node> get(String path) {
        Location location = resolve(path, false, false);
        return location == null ? Optional.empty() : Optional.ofNullable(nodeOrRoot(location));
    }

    /** @return the node {@code path} finally leads to, following every symlink (dangling: empty) */
    public Optional<Node> follow(String path) {
        Location location = resolve(path, false, true);
        return location == null ? Optional.empty() : Optional.ofNullable(nodeOrRoot(location));
    }

    /** @return the path without symlinks that {@code path} leads to, if every component exists */
    public Optional<String> canonical(String path) {
        Location location = resolve(path, false, true);
        return location == null || nodeOrRoot(location) == null ? Optional.empty() : Optional.of(location.path());
    }

    /** Puts {@code node} at {@code location}, replacing what was there. */
    public void put(Location location, Node node) {
        if (location.parent() == null) {
            throw new IllegalArgumentException("Cannot replace the root directory");
        }
        location.parent().children.put(location.name(), node);
    }

    /** Removes what is at {@code path} (the symlink itself if it is one); no-op when absent. */
    public void remove(String path) {
        Location location = resolve(path, false, false);
        if (location != null && location.parent() != null) {
            location.parent().children.remove(location.name());
        }
    }

    /** Visits every node below the root, depth first, children in name order, with its path. */
    public void walk(BiConsumer<String, Node> visitor) {
        walk(root, "", visitor);
    }

    private static void walk(Dir dir, String prefix, BiConsumer<String, Node> visitor) {
        for (Map.Entry<String, Node> child : dir.children.entrySet()) {
            String path = prefix + child.getKey();
            visitor.accept(path, child.getValue());
            if (child.getValue() instanceof Dir sub) {
                walk(sub, path + "/", visitor);
            }
        }
    }

    private Node nodeOrRoot(Location location) {
        return location.parent() == null ? root : location.node();
    }

    /** @return null if a component is missing and {@code create} is false */
    private Location resolve(String path, boolean create, boolean followLast) {
        Deque<String> pending = new ArrayDeque<>(split(path));
        List<String> at = new ArrayList<>();
        Dir dir = root;
        int hops = 0;
        while (!pending.isEmpty()) {
            String name = pending.removeFirst();
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (!at.isEmpty()) {
                    at.remove(at.size() - 1);
                }
                dir = dirAt(at);
                continue;
            }
            Node node = dir.children.get(name);
            if (pending.isEmpty() && !(followLast && node instanceof Symlink)) {
                return new Location(dir, name, join(at, name));
            }
            if (node == null) {
                if (!create) {
                    return null;
                }
                node = new Dir(0755, defaultMtime, 0, 0, false);
                dir.children.put(name, node);
            }
            if (node instanceof Symlink link) {
                if (++hops > MAX_SYMLINK_HOPS) {
                    throw new IllegalArgumentException("Too many levels of symbolic links in " + path);
                }
                if (link.target().startsWith("/")) {
                    at.clear();
                    dir = root;
                }
                List<String> target = split(link.target());
                for (int i = target.size() - 1; i >= 0; i--) {
                    pending.addFirst(target.get(i));
                }
            } else if (node instanceof Dir sub) {
                at.add(name);
                dir = sub;
            } else {
                throw new IllegalArgumentException(join(at, name) + " is a file, not a directory (resolving " + path
                        + ")");
            }
        }
        if (at.isEmpty()) {
            return new Location(null, "", "");
        }
        String name = at.remove(at.size() - 1);
        return new Location(dirAt(at), name, join(at, name));
    }

    private Dir dirAt(List<String> components) {
        Dir dir = root;
        for (String name : components) {
            dir = (Dir) dir.children.get(name);
        }
        return dir;
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }

    private static String join(List<String> parent, String name) {
        return parent.isEmpty() ? name : String.join("/", parent) + "/" + name;
    }
}
