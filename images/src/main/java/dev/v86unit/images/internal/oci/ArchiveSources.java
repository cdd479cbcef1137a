package dev.v86unit.images.internal.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the archive of a {@code rootfs:} or {@code oci:} image name, in the syntax of the framework's
 * {@code FileSource.parse}: {@code classpath:<resource>} (a file in a folder or a jar on the class
 * path of the thread's context class loader), {@code file:<path>} or a plain path, relative to the
 * working directory.
 */
public final class ArchiveSources {

    private ArchiveSources() {
    }

    /**
     * @param spec  what follows {@code rootfs:} or {@code oci:}
     * @param image the whole image name, for messages
     * @throws IllegalArgumentException naming the image if there is no such file or resource
     */
    public static ArchiveSource resolve(String spec, String image) {
        if (spec.isEmpty() || spec.equals("classpath:") || spec.equals("file:")) {
            throw new IllegalArgumentException("Image '" + image + "' names no archive; write e.g. '" + image
                    + (image.endsWith(":") ? "" : ":") + "file:build/rootfs.tar.gz' or 'classpath:images/rootfs.tar'");
        }
        if (spec.startsWith("classpath:")) {
            String resource = spec.substring("classpath:".length());
            String name = resource.startsWith("/") ? resource.substring(1) : resource;
            ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader() : ArchiveSources.class.getClassLoader();
            URL url = loader.getResource(name);
            if (url == null) {
                throw new IllegalArgumentException("Image '" + image + "': classpath resource not found: '" + resource
                        + "'");
            }
            return new ArchiveSource() {
                @Override
                public InputStream open() throws IOException {
                    return url.openStream();
                }

                @Override
                public String description() {
                    return spec;
                }
            };
        }
        Path file = Path.of(spec.startsWith("file:") ? spec.substring("file:".length()) : spec);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Image '" + image + "': " + (Files.exists(file) ? "not a regular file: "
                    : "file not found: ") + file.toAbsolutePath());
        }
        return new ArchiveSource() {
            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }

            @Override
            public String description() {
                return spec;
            }

            @Override
            public Path file() {
                return file;
            }
        };
    }

    /** @return the sha256 hex of the source's bytes */
    public static String sha256(ArchiveSource source, String image) {
        try (InputStream in = source.open()) {
            java.security.MessageDigest digest = dev.v86unit.images.internal.io.Sha256.newDigest();
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return dev.v86unit.images.internal.io.Sha256.hex(digest);
        } catch (IOException e) {
            throw new UncheckedIOException("Image '" + image + "': cannot read " + source.description() + ": " + e, e);
        }
    }
}
