package dev.v86unit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Something to copy into a guest: a file or directory on the host, a classpath resource (a file or
 * a directory, also inside a jar), or bytes. Immutable; see {@link V86Machine#copyTo(FileSource, String)}.
 *
 * <pre>{@code
 * vm.copyTo(FileSource.classpath("legacy-app/"), "/opt/app");
 * vm.copyTo(FileSource.of(Path.of("src/test/data/input.txt")), "/tmp/input.txt");
 * vm.copyTo(FileSource.parse("classpath:config.ini"), "/etc/app/config.ini");
 * }</pre>
 */
public final class FileSource {

    private final String description;
    private final Path path;
    private final byte[] bytes;

    private FileSource(String description, Path path, byte[] bytes) {
        this.description = description;
        this.path = path;
        this.bytes = bytes;
    }

    /**
     * A host file or directory; directories are copied recursively, with executable bits and symlinks.
     *
     * @throws IllegalArgumentException if nothing is there
     */
    public static FileSource of(Path hostFileOrDir) {
        Objects.requireNonNull(hostFileOrDir, "hostFileOrDir");
        if (!Files.exists(hostFileOrDir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("Host file or directory not found: " + hostFileOrDir.toAbsolutePath());
        }
        return new FileSource(hostFileOrDir.toString(), hostFileOrDir, null);
    }

    /** Bytes that become a regular file (mode 0644). */
    public static FileSource of(byte[] content) {
        Objects.requireNonNull(content, "content");
        return new FileSource(content.length + " bytes", null, content.clone());
    }

    /**
     * A classpath resource: a file, or a directory ({@code "legacy-app/"}), in a folder or a jar.
     *
     * @throws IllegalArgumentException if the classpath has no such resource
     */
    public static FileSource classpath(String resource) {
        Objects.requireNonNull(resource, "resource");
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : FileSource.class.getClassLoader();
        URL url = loader.getResource(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
        if (url == null) {
            throw new IllegalArgumentException("Classpath resource not found: '" + resource + "'");
        }
        return new FileSource("classpath:" + resource, toPath(url), null);
    }

    /**
     * @param spec {@code classpath:<resource>}, {@code file:<path>} or a plain host path (relative to the
     *             working directory)
     */
    public static FileSource parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.startsWith("classpath:")) {
            return classpath(spec.substring("classpath:".length()));
        }
        return of(Path.of(spec.startsWith("file:") ? spec.substring("file:".length()) : spec));
    }

    private static Path toPath(URL url) {
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try {
                    FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    // opened before: Path.of finds it
                }
            }
            return Path.of(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Unusable classpath resource URL " + url, e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open " + url, e);
        }
    }

    /** @return the host file or directory (possibly inside a jar), or null for bytes */
    public Path path() {
        return path;
    }

    /** @return a copy of the bytes, or null for a path */
    public byte[] bytes() {
        return bytes == null ? null : bytes.clone();
    }

    @Override
    public String toString() {
        return description;
    }
}
