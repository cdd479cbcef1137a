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
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Takes selected regular files out of a {@code .deb}: no dpkg, no root. A {@code .deb} is an ar archive
 * of {@code debian-binary}, {@code control.tar.*} and {@code data.tar.*}; we read the data member, which
 * Debian compresses with xz (older packages: gzip; zstd, used by Ubuntu, would need native code).
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

    private static InputStream decompress(InputStream member, String name, Path deb) throws IOException {
        InputStream buffered = new BufferedInputStream(member, BUFFER);
        switch (name) {
            case "data.tar.xz":
                return new XZInputStream(buffered);
            case "data.tar.gz":
                return new GZIPInputStream(buffered, BUFFER);
            case "data.tar":
                return buffered;
            default:
                throw new ImageBuildException(deb + ": member " + name + " uses a compression v86unit cannot read"
                        + " (supported: data.tar.xz, data.tar.gz, data.tar)");
        }
    }

    private static Map<String, byte[]> readTar(InputStream data, Predicate<String> wanted) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(data);
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
            if (!entry.isFile() || entry.isSymbolicLink() || entry.isLink()) {
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
