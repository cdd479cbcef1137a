package dev.v86unit.internal.machine;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * Creates folders, files and symlinks that come from the guest under one root folder on the host,
 * without ever following a symlink below that root: the guest chooses the names and may have
 * planted symlinks there by an earlier copy, so nothing is written, created, truncated or chmod-ed
 * through one.
 *
 * <ul>
 *   <li>Every folder between the root and an entry is checked, without following links, to be a
 *       real folder, and every name is checked to be one plain name (not empty, {@code .},
 *       {@code ..}, and without {@code /} or NUL), so each path stays inside the root.</li>
 *   <li>Whatever stands where an entry must go is replaced, as GNU tar does by default (without
 *       {@code --keep-directory-symlink}): a symlink or a file gives way to a folder, a file or a
 *       symlink; an existing folder is kept for a folder (merged) and removed for a file or a
 *       symlink only if it is empty.</li>
 *   <li>Entries arrive parents first, as a listing walks a tree; an entry whose folder did not come
 *       before it in this tree is refused.</li>
 *   <li>Files are not written here: {@link #fileSlot} makes the place ready for a writer that
 *       creates a fresh temporary file next to it exclusively ({@code O_CREAT|O_EXCL}) and renames
 *       it into place (the Node host's {@code writeAtomically}); a rename replaces a symlink, it
 *       never follows one.</li>
 *   <li>Modes are set without following links; a folder's mode only in {@link #finish()}, after its
 *       contents, so a read-only folder can still be filled.</li>
 * </ul>
 *
 * The folders above the root are the caller's choice and are taken as they are (they may be
 * symlinks, such as {@code /tmp} on macOS); the root itself is an entry like the others. Not safe
 * against another host process that swaps folders for symlinks while a copy runs: the guest cannot
 * do that, its only means is the names and the order of what it hands over.
 *
 * <pre>{@code
 * HostTree tree = new HostTree(Path.of("target/out"));
 * tree.folder("", 0755);
 * Path slot = tree.fileSlot("report.csv");   // then write a temporary file and rename it to slot
 * HostTree.setMode(slot, 0644);
 * tree.symlink("latest", "report.csv");
 * tree.finish();
 * }</pre>
 */
final class HostTree {

    private final Path root;
    /** Entries made so far, relative to the root ("" is the root). */
    private final Set<String> made = new HashSet<>();
    private final Set<String> folders = new HashSet<>();
    private final Deque<FolderMode> folderModes = new ArrayDeque<>();

    private record FolderMode(Path folder, int mode) {
    }

    HostTree(Path root) {
        this.root = root.toAbsolutePath().normalize();
        if (this.root.getParent() == null) {
            throw new IllegalArgumentException("the host path must not be a file system root: " + root);
        }
    }

    Path root() {
        return root;
    }

    /**
     * @param relative an entry's path below the root, names separated by {@code /}; empty for the root
     * @return where it goes on the host
     * @throws InvalidPathException if a name is empty, {@code .} or {@code ..}, or holds NUL or a
     *                              separator of the host's file system, or the host cannot name it
     */
    Path resolve(String relative) {
        if (relative.isEmpty()) {
            return root;
        }
        Path path = root;
        for (String name : relative.split("/", -1)) {
            if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('\0') >= 0) {
                throw new InvalidPathException(relative, "a name from the guest must not be empty, '.' or '..', nor contain NUL");
            }
            Path single = root.getFileSystem().getPath(name);
            if (single.getNameCount() != 1 || single.isAbsolute() || !single.toString().equals(name)) {
                throw new InvalidPathException(relative, "'" + name + "' is not a single file name on this host");
            }
            path = path.resolve(single);
        }
        if (!path.startsWith(root)) {
            throw new InvalidPathException(relative, "does not stay inside " + root);
        }
        return path;
    }

    /**
     * Makes {@code relative} a real folder: an existing one is kept, a symlink or a file there is
     * replaced. Its mode is set in {@link #finish()}.
     */
    Path folder(String relative, int mode) throws IOException {
        Path folder = place(relative);
        BasicFileAttributes existing = attributes(folder);
        if (existing == null || !existing.isDirectory()) {
            if (existing != null) {
                Files.delete(folder); // unlinks a symlink itself, never what it points to
            }
            Files.createDirectory(folder); // mkdir fails on anything that stands there, a dangling symlink too
        }
        folders.add(relative);
        folderModes.push(new FolderMode(folder, mode));
        return folder;
    }

    /** Makes {@code relative} a symlink to {@code target} (kept as it is, never followed), replacing what stands there. */
    Path symlink(String relative, String target) throws IOException {
        if (target.isEmpty() || target.indexOf('\0') >= 0) {
            throw new InvalidPathException(target, "a symlink's target must not be empty nor contain NUL");
        }
        Path link = fileSlot(relative);
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, root.getFileSystem().getPath(target));
        return link;
    }

    /**
     * Makes {@code relative} ready for a file to be renamed onto: its folder is real, and what stands
     * there may be replaced by a rename (a file or a symlink stays until then; an empty folder is
     * removed).
     *
     * @throws FileSystemException if a folder with contents stands there
     */
    Path fileSlot(String relative) throws IOException {
        Path slot = place(relative);
        BasicFileAttributes existing = attributes(slot);
        if (existing != null && existing.isDirectory()) {
            try {
                Files.delete(slot);
            } catch (DirectoryNotEmptyException e) {
                throw new FileSystemException(slot.toString(), null, "a folder with contents stands where a file or symlink from the guest must go");
            }
        }
        return slot;
    }

    /** Sets the folders' modes, deepest first, so that none is closed before its contents are in. */
    void finish() throws IOException {
        while (!folderModes.isEmpty()) {
            FolderMode next = folderModes.pop();
            setMode(next.folder(), next.mode());
        }
    }

    /**
     * Sets the permission bits (the lowest nine; set-id and sticky bits are dropped, as an archiver
     * run by an ordinary user does) without following a symlink. Best effort on a file system
     * without POSIX permissions.
     */
    static void setMode(Path path, int mode) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission permission : PosixFilePermission.values()) {
            if ((mode & (1 << (8 - permission.ordinal()))) != 0) {
                permissions.add(permission);
            }
        }
        try {
            view.setPermissions(permissions);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system after all
        }
    }

    /** Checks the name and the order, and that every folder from the root down to the entry's is real; prepares the root's parents. */
    private Path place(String relative) throws IOException {
        Path path = resolve(relative);
        if (!made.add(relative)) {
            throw new InvalidPathException(relative, "comes twice");
        }
        if (relative.isEmpty()) {
            Files.createDirectories(root.getParent());
            return path;
        }
        int slash = relative.lastIndexOf('/');
        String parent = slash < 0 ? "" : relative.substring(0, slash);
        if (!folders.contains(parent)) {
            throw new InvalidPathException(relative, "its folder '" + parent + "' did not come before it as a folder");
        }
        for (Path folder = path.getParent(); folder.startsWith(root); folder = folder.getParent()) {
            BasicFileAttributes attributes = attributes(folder);
            if (attributes == null) {
                throw new NoSuchFileException(folder.toString(), null, "a folder on the way is missing");
            }
            if (!attributes.isDirectory()) {
                throw new FileSystemException(folder.toString(), null, "is no longer a real folder (a symlink?): not followed");
            }
        }
        return path;
    }

    /** @return the entry's own attributes (a symlink's, not its target's), or null if there is nothing */
    private static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
