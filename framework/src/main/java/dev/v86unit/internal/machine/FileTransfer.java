package dev.v86unit.internal.machine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.v86unit.ExecResult;
import dev.v86unit.FileSource;
import dev.v86unit.V86Exception;
import dev.v86unit.internal.exec.CommandLine;
import dev.v86unit.internal.exec.Sentinels;
import dev.v86unit.internal.host.HostClient;
import dev.v86unit.internal.text.Excerpts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Files between host and guest over the 9p share. The host side stages them in
 * {@code /.v86unit/xfer/<token>-<n>} (the host reads and writes its own disk there: the JVM never holds
 * a large file), and the guest moves them with {@code cp -a}, which keeps modes and symlinks and works
 * whatever the target is (the RAM root of busybox, a tmpfs, the 9p root of debian). What the guest
 * copies out for the host it syncs first: on a cached root the data would otherwise wait for writeback.
 */
final class FileTransfer {

    private static final Duration GUEST_COPY = Duration.ofMinutes(30);

    private final Supplier<HostClient> host;
    private final BiFunction<String, Duration, ExecResult> exec;
    /** Part of every staging folder's name: unique to this machine's transfers (see {@link #stagingFolder}). */
    private final String token = Sentinels.newNonce();
    private int transfers;

    /** @param exec runs a guest command (the machine's own exec, with its recovery) */
    FileTransfer(Supplier<HostClient> host, BiFunction<String, Duration, ExecResult> exec) {
        this.host = host;
        this.exec = exec;
    }

    /** @throws IllegalArgumentException unless the guest path is absolute, plain, and free of {@code ..} */
    static String checkGuestPath(String guestPath) {
        if (guestPath == null || !guestPath.startsWith("/")) {
            throw new IllegalArgumentException("Guest path must be absolute: '" + guestPath + "'");
        }
        for (String part : guestPath.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw new IllegalArgumentException("Guest path must not contain '" + part + "' segments: '" + guestPath + "'");
            }
        }
        if (guestPath.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("Guest path must not contain control characters: '" + guestPath.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        return guestPath.length() > 1 && guestPath.endsWith("/") ? guestPath.substring(0, guestPath.length() - 1) : guestPath;
    }

    void copyTo(FileSource source, String guestPath) {
        String target = checkGuestPath(guestPath);
        String staging = stagingFolder();
        String payload = staging + "/payload";
        boolean directory = source.path() != null && Files.isDirectory(source.path(), LinkOption.NOFOLLOW_LINKS);
        if (source.bytes() != null) {
            host.get().writeFile(payload, source.bytes(), 0644);
        } else if (directory) {
            stageDirectory(source.path(), payload);
        } else {
            stageFile(source.path(), payload);
        }
        String guestPayload = q(DefaultV86Machine.GUEST_SHARE + payload);
        String to = q(target);
        String command = directory
                ? "mkdir -p " + to + " && cp -a " + q(DefaultV86Machine.GUEST_SHARE + payload + "/.") + " " + to + "/"
                : "if [ -d " + to + " ]; then echo \"" + target + " is a directory\" >&2; exit 1; fi; "
                        + "mkdir -p \"$(dirname " + to + ")\" && cp -a " + guestPayload + " " + to;
        ExecResult result = exec.apply(command + "; rc=$?; rm -rf " + q(DefaultV86Machine.GUEST_SHARE + staging) + "; exit $rc", GUEST_COPY);
        if (result.exitCode() != 0) {
            throw new V86Exception("Could not copy " + source + " to guest path " + target + ": " + result.stderr().trim());
        }
    }

    private void stageFile(Path file, String sharePath) {
        if (file.getFileSystem() == java.nio.file.FileSystems.getDefault()) {
            host.get().writeFileFrom(sharePath, file, mode(file));
        } else {
            host.get().writeFile(sharePath, read(file), mode(file)); // inside a jar
        }
    }

    private void stageDirectory(Path root, String sharePath) {
        host.get().mkdir(sharePath, mode(root));
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted().toList()) {
                if (path.equals(root)) {
                    continue;
                }
                String relative = root.relativize(path).toString().replace('\\', '/');
                String inShare = sharePath + "/" + relative;
                if (Files.isSymbolicLink(path)) {
                    host.get().symlink(inShare, Files.readSymbolicLink(path).toString());
                } else if (Files.isDirectory(path)) {
                    host.get().mkdir(inShare, mode(path));
                } else {
                    stageFile(path, inShare);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + root, e);
        }
    }

    byte[] readFile(String guestPath) {
        String path = checkGuestPath(guestPath);
        String staging = stagingFolder();
        ExecResult copied = exec.apply("if [ -d " + q(path) + " ]; then echo 'is a directory (use copyFrom)' >&2; exit 3; fi; "
                + "if [ ! -e " + q(path) + " ]; then echo 'no such file' >&2; exit 3; fi; "
                + "mkdir -p " + q(DefaultV86Machine.GUEST_SHARE + staging) + " && cat " + q(path) + " > "
                + q(DefaultV86Machine.GUEST_SHARE + staging + "/payload") + " && sync", GUEST_COPY);
        if (copied.exitCode() != 0) {
            cleanUp(staging);
            throw new V86Exception("Cannot read guest file " + path + ": " + copied.stderr().trim());
        }
        byte[] content = host.get().readFile(staging + "/payload");
        cleanUp(staging);
        return content;
    }

    /**
     * The guest copies the path into the share with {@code cp -a}; the host lists it and rebuilds it
     * under {@code hostPath} through a {@link HostTree}, which never follows a symlink there (the
     * guest chooses every name below {@code hostPath} and may have planted symlinks by an earlier
     * copy). Each file is written by the Node host straight from the share into a fresh temporary
     * file beside its place, then renamed onto it.
     */
    void copyFrom(String guestPath, Path hostPath) {
        String path = checkGuestPath(guestPath);
        HostTree tree = new HostTree(hostPath);
        String staging = stagingFolder();
        ExecResult copied = exec.apply("if [ ! -e " + q(path) + " ] && [ ! -L " + q(path) + " ]; then echo 'no such file or directory' >&2; exit 3; fi; "
                + "mkdir -p " + q(DefaultV86Machine.GUEST_SHARE + staging) + " && cp -a " + q(path) + " "
                + q(DefaultV86Machine.GUEST_SHARE + staging + "/payload") + " && sync", GUEST_COPY);
        if (copied.exitCode() != 0) {
            cleanUp(staging);
            throw new V86Exception("Cannot copy guest path " + path + " to the host: " + copied.stderr().trim());
        }
        try {
            JsonNode listing = host.get().list(staging + "/payload");
            for (JsonNode entry : listing.path("entries")) {
                String relative = entry.path("path").asText();
                try {
                    bringOut(tree, staging, entry, relative);
                } catch (IOException | InvalidPathException | V86Exception e) {
                    String hostEntry = tree.root() + (relative.isEmpty() ? "" : "/" + relative);
                    throw new V86Exception("Cannot copy guest path " + Excerpts.quote(relative.isEmpty() ? path : path + "/" + relative)
                            + " to host path " + Excerpts.quote(hostEntry) + ": " + reason(e, hostEntry), e);
                }
            }
            try {
                tree.finish();
            } catch (IOException e) {
                throw new V86Exception("Cannot set the folder modes under host path " + Excerpts.quote(tree.root().toString()) + ": "
                        + reason(e, tree.root().toString()), e);
            }
        } finally {
            cleanUp(staging);
        }
    }

    private void bringOut(HostTree tree, String staging, JsonNode entry, String relative) throws IOException {
        int mode = entry.path("mode").asInt();
        switch (entry.path("type").asText()) {
            case "dir" -> tree.folder(relative, mode);
            case "symlink" -> tree.symlink(relative, entry.path("target").asText());
            case "file" -> {
                Path slot = tree.fileSlot(relative);
                host.get().readFileTo(staging + "/payload" + (relative.isEmpty() ? "" : "/" + relative), slot);
                HostTree.setMode(slot, mode);
            }
            default -> throw new InvalidPathException(relative, "unknown entry type '" + entry.path("type").asText() + "'");
        }
    }

    /** @return why a host-side step failed, in a few words, naming the file only if it is not {@code hostEntry} */
    private static String reason(Exception e, String hostEntry) {
        if (e instanceof FileSystemException fse) {
            String what = fse.getReason() != null ? fse.getReason() : e.getClass().getSimpleName();
            return fse.getFile() != null && !fse.getFile().equals(hostEntry) ? what + " (" + Excerpts.quote(fse.getFile()) + ")" : what;
        }
        return e.getMessage();
    }

    /**
     * A staging folder under a name the guest has never seen: a guest with a cached root (debian's
     * cache=loose) keeps what it looked up, even that a name did not exist, and the state it was
     * restored from may have used the numbers this machine counts.
     */
    private String stagingFolder() {
        return DefaultV86Machine.IO + "/xfer/" + token + "-" + (++transfers);
    }

    private void cleanUp(String staging) {
        exec.apply("rm -rf " + q(DefaultV86Machine.GUEST_SHARE + staging), GUEST_COPY);
    }

    private static String q(String text) {
        return CommandLine.singleQuoted(text);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static int mode(Path path) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            int mode = 0;
            for (PosixFilePermission permission : permissions) {
                mode |= 1 << (8 - permission.ordinal());
            }
            return mode;
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system (a jar, Windows): readable, and executable for folders
            return Files.isDirectory(path) ? 0755 : 0644;
        }
    }
}
