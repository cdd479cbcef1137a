package dev.v86unit.internal.machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.v86unit.ExecOptions;
import dev.v86unit.ExecResult;
import dev.v86unit.MachineBootException;
import dev.v86unit.OutputFrame;
import dev.v86unit.images.Image;
import dev.v86unit.internal.host.HostClient;
import dev.v86unit.internal.text.Excerpts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Configured layers: an image's root filesystem after its first boot ran the packages' maintainer scripts
 * ({@code /etc/v86unit/first-boot}: each {@code preinst}, then {@code dpkg --configure -a}), kept as a
 * v86 {@code fs.json} in {@code <cache>/layers} whose new and changed files went into the image's content
 * store. The first cold boot of an image runs the scripts (minutes, once per image and cache) and writes
 * the layer; every later cold boot starts from the layer, configured, and the snapshots saved after either
 * carry no file contents (they name them by sha256, as the image's own tree does).
 *
 * <p>The layer is keyed by the image id (which stays reproducible: it is computed from the recipe's output
 * before any script ran) and {@link #VERSION}. A layer whose files are missing from the store is deleted and
 * made again.
 */
final class ConfiguredLayers {

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredLayers.class);
    /** The script the image builder writes (see the images module's {@code FirstBoot}). */
    static final String FIRST_BOOT = "/etc/v86unit/first-boot";
    /** Raised when what the first boot does changes; part of every layer's name. */
    static final int VERSION = 1;
    private static final Pattern DPKG_FAILED = Pattern.compile("dpkg: error processing package (\\S+)");
    private static final Pattern PREINST_FAILED = Pattern.compile("v86unit: the preinst script of (\\S+) failed");
    /** Layers checked in this JVM: path -> size when checked. */
    private static final Map<Path, Long> VERIFIED = new ConcurrentHashMap<>();

    private final Path dir;
    private final Duration timeout;

    ConfiguredLayers(Path dir, Duration timeout) {
        this.dir = dir;
        this.timeout = timeout;
    }

    /** @return the image with its configured layer as the root filesystem, if that layer exists and is whole */
    Image configured(Image image) {
        if (image.rootfs() == null || !whole(layerFile(image), image.rootfsStore())) {
            return image;
        }
        return withRootfs(image, layerFile(image));
    }

    /**
     * For a derived image (a base image plus packages) without a layer yet: its first boot starts from the
     * base's configured layer with the added packages on top ({@link LayerSeed}), so it configures only
     * those. The base is configured first if it has no layer ({@code configureBase} cold-boots it).
     *
     * @return the image to cold-boot: configured, seeded, or as it is
     */
    Image forBoot(Image image, Image base, java.util.function.Consumer<Image> configureBase) {
        Image configured = configured(image);
        if (configured != image || base == null || image.rootfs() == null || base.rootfs() == null) {
            return configured;
        }
        if (!whole(layerFile(base), base.rootfsStore())) {
            LOG.info("Image {} derives from {}, which has no configured layer yet: configuring {} first, then only the"
                    + " added packages", image.id(), base.id(), base.name());
            configureBase.accept(base);
        }
        if (!whole(layerFile(base), base.rootfsStore())) {
            return image;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
        Path seed = dir.resolve(hex(image) + "-seed-v" + VERSION + ".json");
        LayerSeed.write(base.rootfs(), layerFile(base), image.rootfs(), FIRST_BOOT.substring(1), image.rootfsStore(), seed);
        return withRootfs(image, seed);
    }

    /** Whether a layer exists and names only files the store has; checked once per JVM and layer size. */
    private static boolean whole(Path layer, Path store) {
        if (!Files.isRegularFile(layer)) {
            return false;
        }
        try {
            long size = Files.size(layer);
            if (!Long.valueOf(size).equals(VERIFIED.get(layer))) {
                Optional<String> missing = firstMissing(layer, store);
                if (missing.isPresent()) {
                    LOG.warn("The configured layer {} names {}, which is missing from {} or damaged; deleting the layer,"
                            + " the next cold boot configures the image again", layer, missing.get(), store);
                    Files.deleteIfExists(layer);
                    return false;
                }
                VERIFIED.put(layer, size);
            }
            return true;
        } catch (IOException e) {
            LOG.warn("Cannot read the configured layer {} ({}); the image is configured again", layer, e.toString());
            return false;
        }
    }

    private static Image withRootfs(Image image, Path rootfs) {
        return new Image(image.name(), image.id(), image.kernel(), image.initrd(), image.bios(), image.cmdline(),
                image.memoryMb(), image.manifest(), rootfs, image.rootfsStore(), image.kernelElf());
    }

    private static String hex(Image image) {
        return image.id().startsWith("sha256:") ? image.id().substring(7) : image.id();
    }

    /**
     * Right after a cold boot: if the guest has a first-boot script, runs it, checks it and writes the layer
     * (the machine goes on configured, its written files now read from the store).
     */
    void firstBoot(DefaultV86Machine machine, HostClient host, Image image) {
        if (image.rootfs() == null) {
            return;
        }
        ExecResult pending = machine.exec("test -x " + FIRST_BOOT, ExecOptions.defaults().withTimeout(Duration.ofSeconds(60)));
        if (pending.exitCode() != 0) {
            return;
        }
        long start = System.nanoTime();
        LOG.info("{}: first boot of image {}: configuring its packages (preinst scripts, dpkg --configure -a), once per image ...",
                machine.name(), image.id());
        LineLog progress = new LineLog(machine.name());
        ExecResult configured = machine.exec(FIRST_BOOT, ExecOptions.defaults().withTimeout(timeout).withOutputConsumer(progress));
        if (configured.exitCode() != 0) {
            throw new MachineBootException(failure(machine.name(), configured), machine.consoleTail());
        }
        ExecResult removed = machine.exec("rm -f " + FIRST_BOOT + " /var/cache/debconf/*-old && sync",
                ExecOptions.defaults().withTimeout(Duration.ofSeconds(60)));
        if (removed.exitCode() != 0) {
            throw new MachineBootException(machine.name() + ": cannot remove " + FIRST_BOOT + " after configuring: " + removed,
                    machine.consoleTail());
        }
        Duration scripts = Duration.ofNanos(System.nanoTime() - start);
        Path layer = layerFile(image);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
        JsonNode exported = host.exportTree(image.rootfsStore(), layer, List.of(".v86unit"));
        VERIFIED.put(layer, sizeOf(layer));
        LOG.info("{}: packages configured in {}; layer {} written ({} files, {} of them new or changed, {} MB)", machine.name(),
                Excerpts.duration(scripts), layer.getFileName(), exported.path("files").asLong(), exported.path("moved").asLong(),
                String.format(java.util.Locale.ROOT, "%.1f", exported.path("movedBytes").asLong() / 1e6));
    }

    Path layerFile(Image image) {
        return dir.resolve(hex(image) + "-configured-v" + VERSION + ".json");
    }

    /** The message of a failed first boot: which packages, the exit code, and the output. */
    static String failure(String machine, ExecResult result) {
        Set<String> packages = new LinkedHashSet<>();
        String output = result.stdout() + "\n" + result.stderr();
        for (Pattern pattern : List.of(PREINST_FAILED, DPKG_FAILED)) {
            Matcher matcher = pattern.matcher(output);
            while (matcher.find()) {
                packages.add(matcher.group(1));
            }
        }
        String which = packages.isEmpty() ? "the packages" : "package" + (packages.size() > 1 ? "s " : " ") + String.join(", ", packages);
        return machine + ": the image's first boot could not configure " + which + ": " + FIRST_BOOT + " (preinst scripts, dpkg"
                + " --configure -a) exited with " + result.exitCode() + "; the image is not usable as installed."
                + "\nstdout (end): " + Excerpts.quote(Excerpts.cut(result.stdout(), 3000))
                + "\nstderr (end): " + Excerpts.quote(Excerpts.cut(result.stderr(), 3000));
    }

    /** @return a file the layer names that the store does not have at its size, if any */
    private static Optional<String> firstMissing(Path layer, Path store) throws IOException {
        JsonNode tree = new ObjectMapper().readTree(layer.toFile());
        return firstMissing(tree.path("fsroot"), store);
    }

    private static Optional<String> firstMissing(JsonNode entries, Path store) {
        for (JsonNode entry : entries) {
            int type = entry.get(3).asInt() & 0170000;
            if (type == 0040000) {
                Optional<String> missing = firstMissing(entry.get(6), store);
                if (missing.isPresent()) {
                    return missing;
                }
            } else if (type == 0100000) {
                Path file = store.resolve(entry.get(6).asText());
                try {
                    if (Files.size(file) != entry.get(1).asLong()) {
                        return Optional.of(entry.get(6).asText());
                    }
                } catch (IOException e) {
                    return Optional.of(entry.get(6).asText());
                }
            }
        }
        return Optional.empty();
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** Logs a command's output line by line at INFO: the progress of a long first boot. */
    private static final class LineLog implements java.util.function.Consumer<OutputFrame> {
        private final String machine;
        private final StringBuilder partial = new StringBuilder();
        private final long start = System.nanoTime();

        LineLog(String machine) {
            this.machine = machine;
        }

        @Override
        public synchronized void accept(OutputFrame frame) {
            partial.append(frame.utf8String());
            int end;
            while ((end = partial.indexOf("\n")) >= 0) {
                String line = partial.substring(0, end).strip();
                partial.delete(0, end + 1);
                if (!line.isEmpty()) {
                    LOG.info("{} first boot [{} s]: {}", machine, (System.nanoTime() - start) / 1_000_000_000L, line);
                }
            }
        }
    }
}
