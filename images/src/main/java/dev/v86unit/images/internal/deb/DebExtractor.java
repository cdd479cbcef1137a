package dev.v86unit.images.internal.deb;

import dev.v86unit.images.ImageBuildException;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Reads a {@code .deb} without dpkg and without root. A {@code .deb} is an ar archive of
 * {@code debian-binary}, {@code control.tar.*} and {@code data.tar.*}, which Debian compresses with xz
 * (older packages: gzip; zstd, used by Ubuntu, would need native code). {@link #extract} takes selected
 * regular files; {@link #unpack} streams every member of the data archive with its metadata.
 */
public final class DebExtractor {

    private static final int BUFFER = 1 << 16;

    private DebExtractor() {
    }

    /**
     * @param wanted decides by path, written without a leading "./" or "/", e.g. {@code bin/busybox}
     * @return path -> content of every regular file that {@code wanted} accepts, sorted by path
     */
    public static Map<String, byte[]> extract(Path deb, Predicate<String> wanted) {
        try (ArArchiveInputStream ar = new ArArchiveInputStream(
                new BufferedInputStream(Files.newInputStream(deb), BUFFER))) {
            boolean sawFormat = false;
            for (ArArchiveEntry member; (member = ar.getNextEntry()) != null; ) {
                String name = member.getName();
                if (name.equals("debian-binary")) {
                    String version = new String(ar.readNBytes(16), StandardCharsets.US_ASCII).strip();
                    if (!version.startsWith("2.")) {
                        throw new ImageBuildException(deb + " has unsupported .deb format version " + version);
                    }
                    sawFormat = true;
                } else if (name.startsWith("data.tar")) {
                    if (!sawFormat) {
                        throw new ImageBuildException(deb + " is not a .deb: data.tar comes before debian-binary");
                    }
                    return readTar(decompress(ar, name, deb), wanted);
                }
            }
            throw new ImageBuildException(deb + " is not a .deb: it has no data.tar member");
        } catch (IOException e) {
            throw new ImageBuildException("Cannot unpack " + deb + ": " + e.getMessage(), e);
        }
    }

    /** Receives the data members of a {@code .deb} in archive order. */
    @FunctionalInterface
    public interface Visitor {
        /** @param content a regular file's bytes ({@link DebEntry#size()} of them), else an empty stream */
        void visit(DebEntry entry, InputStream content) throws IOException;
    }

    /**
     * Reads the control files {@code wantedControl} (names like {@code postinst}, {@code control}) and
     * passes every member of the data archive to {@code visitor}.
     *
     * @return control file name -> content, for those of {@code wantedControl} the package has
     */
    public static Map<String, byte[]> unpack(Path deb, Set<String> wantedControl, Visitor visitor) {
        Map<String, byte[]> control = new TreeMap<>();
        try (ArArchiveInputStream ar = new ArArchiveInputStream(
                new BufferedInputStream(Files.newInputStream(deb), BUFFER))) {
            for (ArArchiveEntry member; (member = ar.getNextEntry()) != null; ) {
                String name = member.getName();
                if (name.startsWith("control.tar")) {
                    control.putAll(readTar(decompress(ar, name, deb), wantedControl::contains));
                } else if (name.startsWith("data.tar")) {
                    walk(decompress(ar, name, deb), visitor);
                    return control;
                }
            }
            throw new ImageBuildException(deb + " is not a .deb: it has no data.tar member");
        } catch (IOException e) {
            throw new ImageBuildException("Cannot unpack " + deb + ": " + e.getMessage(), e);
        }
    }

    private static void walk(InputStream data, Visitor visitor) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(data);
        InputStream empty = InputStream.nullInputStream();
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
            String path = trimSlash(normalize(entry.getName()));
            if (path.isEmpty() || path.equals(".")) {
                continue; // the archive root "./"
            }
            DebEntry.Type type;
            String link = "";
            if (entry.isSymbolicLink()) {
                type = DebEntry.Type.SYMLINK;
                link = entry.getLinkName();
            } else if (entry.isLink()) {
                type = DebEntry.Type.HARDLINK;
                link = trimSlash(normalize(entry.getLinkName()));
            } else if (entry.isDirectory()) {
                type = DebEntry.Type.DIRECTORY;
            } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                type = DebEntry.Type.OTHER; // isFile() is true for these: it only rules out directories
            } else if (entry.isFile()) {
                type = DebEntry.Type.FILE;
            } else {
                type = DebEntry.Type.OTHER;
            }
            long size = type == DebEntry.Type.FILE ? entry.getSize() : 0;
            visitor.visit(new DebEntry(path, type, entry.getMode() & 07777, entry.getModTime().getTime() / 1000,
                    entry.getLongUserId(), entry.getLongGroupId(), size, link), type == DebEntry.Type.FILE ? tar : empty);
        }
    }

    private static String trimSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static InputStream decompress(InputStream member, String name, Path deb) throws IOException {
        InputStream buffered = new BufferedInputStream(member, BUFFER);
        if (name.endsWith(".tar.xz")) {
            return new XZInputStream(buffered);
        } else if (name.endsWith(".tar.gz")) {
            return new GZIPInputStream(buffered, BUFFER);
        } else if (name.endsWith(".tar")) {
            return buffered;
        }
        throw new ImageBuildException(deb + ": member " + name + " uses a compression v86unit cannot read"
                + " (supported: .tar.xz, .tar.gz, .tar)");
    }

    private static Map<String, byte[]> readTar(InputStream data, Predicate<String> wanted) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(data);
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
            if (!entry.isFile() || entry.isSymbolicLink() || entry.isLink() || entry.isCharacterDevice()
                    || entry.isBlockDevice() || entry.isFIFO()) {
                continue;
            }
            String path = normalize(entry.getName());
            if (wanted.test(path)) {
                files.put(path, tar.readAllBytes());
            }
        }
        return files;
    }

    static String normalize(String tarName) {
        String path = tarName;
        if (path.startsWith("./")) {
            path = path.substring(2);
        }
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        return path;
    }
}
