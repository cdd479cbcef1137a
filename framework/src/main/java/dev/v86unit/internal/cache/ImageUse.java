package dev.v86unit.internal.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.v86unit.images.Image;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The use of a built image by machines: {@code <images>/<build directory>.use} beside the build. It says
 * which image name and packages the build is for (JSON, written once), its modification time is the
 * image's <em>last use</em> (set each time a machine of the image starts), and every running machine of
 * the image holds a shared lock on it until it is closed, so that pruning (which tries an exclusive lock)
 * keeps the build, its snapshots, its configured layer and their files while a machine needs them.
 *
 * <p>The file is never replaced (a lock belongs to the file, and a replaced file would lose it).
 */
public final class ImageUse implements AutoCloseable {

    /** The suffix of a use file, after the build directory's name. */
    public static final String SUFFIX = ".use";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SharedFileLock.Held held;

    private ImageUse(SharedFileLock.Held held) {
        this.held = held;
    }

    /** @return the use file of a build directory */
    public static Path file(Path buildDir) {
        return buildDir.resolveSibling(buildDir.getFileName() + SUFFIX);
    }

    /** @return the build directory of an image (the folder of its kernel) */
    public static Path buildDir(Image image) {
        return image.kernel().toAbsolutePath().getParent();
    }

    /**
     * Records that a machine of {@code image} (asked for as {@code name} with {@code packages}) starts now, and
     * holds the image's use lock until {@link #close()}. Call it holding the {@link CacheLock} shared.
     */
    public static ImageUse begin(Image image, String name, List<String> packages) {
        Path file = file(buildDir(image));
        try {
            if (!Files.exists(file)) {
                ObjectNode record = JSON.createObjectNode().put("image", name);
                packages.stream().sorted().distinct().forEach(record.putArray("packages")::add);
                try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    out.write(JSON.writeValueAsBytes(record));
                } catch (FileAlreadyExistsException e) {
                    // another machine of the image wrote the same record first
                }
            }
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record the use of image " + image.id() + " in " + file, e);
        }
        return new ImageUse(SharedFileLock.acquire(file, "image " + image.name()));
    }

    /** Also records a use (its time) of a handed-on machine, whose lock its first start holds. */
    public static void touch(Image image) {
        try {
            Files.setLastModifiedTime(file(buildDir(image)), FileTime.from(Instant.now()));
        } catch (IOException e) {
            // only the "last use" column is affected
        }
    }

    /** What a use file says. */
    record Record(String image, List<String> packages, Instant lastUse) {
    }

    /** @return the record beside {@code buildDir}, if there is a readable one */
    static Optional<Record> read(Path buildDir) {
        Path file = file(buildDir);
        try {
            JsonNode node = JSON.readTree(file.toFile());
            List<String> packages = new ArrayList<>();
            node.path("packages").forEach(p -> packages.add(p.asText()));
            return Optional.of(new Record(node.path("image").asText(), List.copyOf(packages),
                    Files.getLastModifiedTime(file).toInstant()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** @return whether a machine (of any process, this one included) holds the use lock of {@code buildDir} */
    static boolean inUse(Path buildDir) {
        return !SharedFileLock.free(file(buildDir));
    }

    @Override
    public void close() {
        held.close();
    }
}
