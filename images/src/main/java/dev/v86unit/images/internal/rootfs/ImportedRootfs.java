package dev.v86unit.images.internal.rootfs;

import dev.v86unit.images.ImageBuildException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A root filesystem a user brings (a tar of one, or a container image's layers), made ready for v86's
 * 9p share: layers applied in order with their whiteouts as overlayfs would ({@code .wh.<name>} deletes
 * {@code name} of the layers below, {@code .wh..wh..opq} empties its folder of them), then checked (a
 * {@code /bin/sh}, built for i386) and given what v86unit itself needs in the guest: the guest init at
 * {@code /sbin/v86unit-init}, the mount points it uses, and a static busybox with the commands the
 * control shell types under {@link #FALLBACK_BIN}, last on the PATH, for userlands that lack some.
 * The user's own files stay as they are otherwise; nothing from the host leaks in (owners and modes
 * come from the archive, implicit folders get {@link Rootfs#FIXED_MTIME}).
 */
public final class ImportedRootfs {

    private static final Logger LOG = LoggerFactory.getLogger(ImportedRootfs.class);

    /** Where the fallback busybox goes; the imported guest init puts {@link #FALLBACK_BIN} last on the PATH. */
    public static final String FALLBACK_BUSYBOX = "usr/lib/v86unit/busybox";
    public static final String FALLBACK_BIN = "usr/lib/v86unit/bin";
    /**
     * Commands the guest init, the control shell's protocol and the file transfers use, and the usual
     * small tools a test expects; each a symlink to the fallback busybox.
     */
    public static final List<String> FALLBACK_APPLETS = List.of("awk", "basename", "cat", "chmod", "chown", "cp",
            "cut", "date", "dd", "df", "dirname", "du", "echo", "env", "false", "find", "grep", "gunzip", "gzip", "head",
            "hostname", "id", "kill", "ln", "ls", "md5sum", "mkdir", "mkfifo", "mount", "mv", "nice", "printf", "ps",
            "readlink", "renice", "rm", "rmdir", "sed", "seq", "setsid", "sh", "sha256sum", "sleep", "sort", "stat",
            "stty", "switch_root", "tail", "tar", "test", "touch", "tr", "true", "umount", "uname", "uniq", "wc",
            "which", "xargs");
    /** Mount points and folders v86unit-init uses. */
    private static final List<String> MOUNT_POINTS = List.of("proc", "sys", "dev", "run", "mnt", RootfsBuilder.EXCHANGE_DIR);

    /** How v86unit-init starts the control shell. */
    static final String CONTROL_SHELL = "setsid -c sh -i";
    private static final int EM_386 = 3;
    private static final int EM_X86_64 = 62;

    private final FsTree tree = new FsTree(Rootfs.FIXED_MTIME);
    private final ContentStore store;
    private final String what;
    private int layers;

    /** @param what the input, for messages, e.g. {@code oci:file:build/app-i386.tar} */
    public ImportedRootfs(ContentStore store, String what) {
        this.store = store;
        this.what = what;
    }

    public FsTree tree() {
        return tree;
    }

    /**
     * Applies one layer over what is there.
     *
     * @param whiteouts true for container image layers; a plain root filesystem tar keeps {@code .wh.*}
     *                  files as files
     */
    public void apply(List<LayerEntry> layer, boolean whiteouts) {
        layers++;
        List<LayerEntry> rest = layer;
        if (whiteouts) {
            rest = new ArrayList<>();
            // A layer's whiteouts hide what the layers below have, never the layer's own members.
            for (LayerEntry entry : layer) {
                if (entry.name().equals(".wh..wh..opq")) {
                    opaque(entry.parent());
                } else if (entry.name().startsWith(".wh.")) {
                    String hidden = entry.parent().isEmpty() ? entry.name().substring(4)
                            : entry.parent() + "/" + entry.name().substring(4);
                    remove(hidden);
                } else {
                    rest.add(entry);
                }
            }
        }
        for (LayerEntry entry : rest) {
            place(entry);
        }
    }

    private void opaque(String dir) {
        Optional<FsTree.Node> node = dir.isEmpty() ? Optional.of(tree.root()) : safe(() -> tree.follow(dir));
        if (node.isPresent() && node.get() instanceof FsTree.Dir folder) {
            for (String child : new ArrayList<>(folder.children().keySet())) {
                remove(dir.isEmpty() ? child : dir + "/" + child);
            }
        }
    }

    private void remove(String path) {
        safe(() -> {
            tree.remove(path);
            return Optional.empty();
        });
    }

    private void place(LayerEntry entry) {
        FsTree.Location at;
        try {
            at = tree.locate(entry.path());
        } catch (IllegalArgumentException e) {
            throw new ImageBuildException(what + ": cannot place /" + entry.path() + ": " + e.getMessage(), e);
        }
        FsTree.Node existing = at.node();
        switch (entry.type()) {
            case DIRECTORY -> {
                if (existing instanceof FsTree.Dir dir) {
                    dir.define(entry.mode(), entry.mtime(), entry.uid(), entry.gid());
                } else if (existing instanceof FsTree.Symlink && tree.follow(at.path()).orElse(null) instanceof FsTree.Dir) {
                    // a symlink to a folder stays one (bin -> usr/bin), as tar's --keep-directory-symlink
                } else {
                    tree.put(at, new FsTree.Dir(entry.mode(), entry.mtime(), entry.uid(), entry.gid(), true));
                }
            }
            case FILE -> tree.put(at, new FsTree.File(entry.mode(), entry.mtime(), entry.uid(), entry.gid(),
                    entry.sha256(), entry.size()));
            case SYMLINK -> tree.put(at, new FsTree.Symlink(entry.link(), entry.mtime(), entry.uid(), entry.gid()));
            case HARDLINK -> {
                // 9p in v86 has no hard links: a second file with the same content
                if (!(safe(() -> tree.follow(entry.link())).orElse(null) instanceof FsTree.File file)) {
                    throw new ImageBuildException(what + ": /" + entry.path() + " is a hard link to /" + entry.link()
                            + ", which is not a regular file earlier in the archive");
                }
                tree.put(at, new FsTree.File(file.mode(), file.mtime(), file.uid(), file.gid(), file.sha256(),
                        file.size()));
            }
        }
    }

    private <T> Optional<T> safe(java.util.function.Supplier<Optional<T>> lookup) {
        try {
            return lookup.get();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Checks that the guest can start it (a {@code /bin/sh} for i386) and adds v86unit's guest init,
     * mount points and fallback busybox.
     *
     * @throws ImageBuildException naming the input if there is no {@code /bin/sh} or it is not an i386 program
     */
    public void prepare(byte[] guestInit, byte[] busybox) {
        checkShell();
        for (String dir : MOUNT_POINTS) {
            dir(dir, 0755);
        }
        dir("tmp", 01777);
        dir("root", 0700);
        file(RootfsBuilder.GUEST_INIT, 0755, withFallbackPath(guestInit));
        file(FALLBACK_BUSYBOX, 0755, busybox);
        for (String applet : FALLBACK_APPLETS) {
            FsTree.Location at = tree.locate(FALLBACK_BIN + "/" + applet);
            tree.put(at, new FsTree.Symlink("../busybox", Rootfs.FIXED_MTIME, 0, 0));
        }
        if (safe(() -> tree.follow("etc/hosts")).isEmpty()) {
            file("etc/hosts", 0644, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                    .getBytes(StandardCharsets.UTF_8));
        }
        LOG.info("{}: {} layer(s) applied, /bin/sh is an i386 program; added /{}, /{} and /{}", what, layers,
                RootfsBuilder.GUEST_INIT, FALLBACK_BUSYBOX, FALLBACK_BIN);
    }

    /**
     * The guest init with {@link #FALLBACK_BIN} appended to the PATH it exports, so that the fallback
     * busybox supplies only what the userland lacks, and {@code /bin/sh} as the control shell. Done here, not in the shared script, so that the
     * Debian images' init (and so their ids) stay as they are.
     */
    public static byte[] withFallbackPath(byte[] guestInit) {
        String script = new String(guestInit, StandardCharsets.UTF_8);
        int export = script.startsWith("export PATH=") ? 0 : script.indexOf("\nexport PATH=") + 1;
        int end = export <= 0 && !script.startsWith("export PATH=") ? -1 : script.indexOf('\n', export);
        if (end < 0) {
            throw new IllegalStateException("The guest init exports no PATH to extend with /" + FALLBACK_BIN);
        }
        String line = "# A root filesystem the user brought: the static busybox of v86unit, last on the PATH, supplies\n"
                + "# the commands this script and the control shell use that the userland lacks.\n"
                + "PATH=$PATH:/" + FALLBACK_BIN + "\n";
        script = script.substring(0, end + 1) + line + script.substring(end + 1);
        // The control shell is the userland's own /bin/sh: busybox's setsid (the fallback's, when the
        // userland has none) would run its built-in ash for a bare "sh", whatever the PATH says.
        if (!script.contains(CONTROL_SHELL)) {
            throw new IllegalStateException("The guest init does not start the control shell with '" + CONTROL_SHELL
                    + "'");
        }
        return script.replace(CONTROL_SHELL, "setsid -c /bin/sh -i").getBytes(StandardCharsets.UTF_8);
    }

    private void checkShell() {
        Optional<FsTree.Node> sh = safe(() -> tree.follow("bin/sh"));
        if (sh.isEmpty() || !(sh.get() instanceof FsTree.File shell)) {
            String found = safe(() -> tree.get("bin/sh")).map(n -> n instanceof FsTree.Symlink link
                    ? " (/bin/sh is a symlink to " + link.target() + ", which is not a file in the archive)"
                    : n instanceof FsTree.Dir ? " (/bin/sh is a folder)" : "").orElse("");
            throw new ImageBuildException(what + " has no /bin/sh" + found + "; v86unit's guest init and control"
                    + " shell need a POSIX shell there (busybox, dash or bash)");
        }
        byte[] head = store.read(shell.sha256());
        if (head.length >= 2 && head[0] == '#' && head[1] == '!') {
            return; // a script: its interpreter is the archive's business
        }
        if (head.length < 20 || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F') {
            throw new ImageBuildException(what + ": /bin/sh is not an ELF program, so not a shell that can run on"
                    + " v86's i386 CPU");
        }
        int machine = (head[18] & 0xff) | (head[19] & 0xff) << 8;
        if (head[4] != 1 || machine != EM_386) {
            String arch = machine == EM_X86_64 ? "x86-64 (amd64)" : head[4] == 2 ? "64-bit (machine " + machine + ")"
                    : "machine " + machine;
            throw new ImageBuildException(what + ": /bin/sh is an " + arch + " program, but v86 emulates a 32-bit"
                    + " i386 PC: use an i386 root filesystem (Alpine's x86 minirootfs, not x86_64; a linux/386"
                    + " container image such as i386/debian)");
        }
    }

    private void dir(String path, int mode) {
        if (safe(() -> tree.follow(path)).orElse(null) instanceof FsTree.Dir) {
            return;
        }
        FsTree.Location at = tree.locate(path);
        tree.put(at, new FsTree.Dir(mode, Rootfs.FIXED_MTIME, 0, 0, true));
    }

    private void file(String path, int mode, byte[] content) {
        FsTree.Location at = tree.locate(path);
        tree.put(at, new FsTree.File(mode, Rootfs.FIXED_MTIME, 0, 0, store.put(content), content.length));
    }
}
