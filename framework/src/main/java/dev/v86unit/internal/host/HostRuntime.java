package dev.v86unit.internal.host;

import dev.v86unit.V86Exception;
import dev.v86unit.internal.config.Settings;
import dev.v86unit.internal.io.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What it takes to start a Node host: a Node.js executable of a supported version, and the host
 * script with v86 unpacked from the jar into the cache ({@code <cache>/node-host/<hash>/}), verified
 * against the sha256 recorded at build time.
 *
 * @param node        the Node.js executable to run
 * @param hostScript  the unpacked {@code host.mjs}
 * @param v86Version  the v86 version packaged with it, e.g. {@code 0.5.462}
 * @param hostSha256  the sha256 of {@code host.mjs}, which fixes the emulated hardware (part of snapshot keys)
 */
public record HostRuntime(String node, Path hostScript, String v86Version, String hostSha256) {

    public static final int MINIMUM_NODE_MAJOR = 20;
    private static final String RESOURCES = "dev/v86unit/nodehost/";
    private static final Pattern NODE_VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+).*");
    private static final Map<String, HostRuntime> PREPARED = new ConcurrentHashMap<>();

    /** @return the runtime for these settings, unpacking and checking once per JVM */
    public static HostRuntime prepare(Settings settings) {
        String key = settings.node() + "\0" + settings.cacheDir();
        HostRuntime cached = PREPARED.get(key);
        if (cached != null) {
            return cached;
        }
        checkNode(settings.node());
        HostRuntime runtime = unpack(settings.node(), settings.cacheDir().resolve("node-host"));
        PREPARED.put(key, runtime);
        return runtime;
    }

    /** Fails with a message naming the setting unless {@code node} runs and is new enough. */
    static void checkNode(String node) {
        String hint = "v86unit needs Node.js >= " + MINIMUM_NODE_MAJOR + ". Install it, or point the system property "
                + Settings.NODE + " or the environment variable " + Settings.environmentName(Settings.NODE)
                + " at its executable.";
        String output;
        try {
            Process process = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
            process.getOutputStream().close();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new V86Exception("Node.js at '" + node + "' did not answer 'node --version' properly (output: "
                        + output + "). " + hint);
            }
        } catch (IOException e) {
            throw new V86Exception("Node.js not found: cannot run '" + node + "' (" + e.getMessage() + "). " + hint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new V86Exception("interrupted while checking the Node.js version", e);
        }
        Matcher matcher = NODE_VERSION.matcher(output);
        if (!matcher.matches()) {
            throw new V86Exception("'" + node + " --version' printed '" + output + "', not a Node.js version. " + hint);
        }
        if (Integer.parseInt(matcher.group(1)) < MINIMUM_NODE_MAJOR) {
            throw new V86Exception("Node.js at '" + node + "' is " + output + ", too old. " + hint);
        }
    }

    static HostRuntime unpack(String node, Path root) {
        Properties manifest = loadManifest();
        List<String> files = List.of(manifest.getProperty("files").split(","));
        String v86Version = manifest.getProperty("v86.version");
        StringBuilder identity = new StringBuilder(v86Version);
        files.forEach(file -> identity.append(':').append(manifest.getProperty("sha256." + file)));
        Path dir = root.resolve(Hashes.sha256(identity.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16));
        try {
            if (!verified(dir, files, manifest)) {
                Files.createDirectories(root);
                Path temp = Files.createTempDirectory(root, ".unpack-");
                try {
                    for (String file : files) {
                        try (InputStream in = resource(file)) {
                            Files.copy(in, temp.resolve(file));
                        }
                    }
                    if (!verified(temp, files, manifest)) {
                        throw new V86Exception("the node host packaged in the v86unit jar does not match its own checksums");
                    }
                    deleteRecursively(dir);
                    moveIntoPlace(temp, dir);
                } finally {
                    deleteRecursively(temp);
                }
                if (!verified(dir, files, manifest)) {
                    throw new V86Exception("could not unpack the node host into " + dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the node host into " + dir, e);
        }
        return new HostRuntime(node, dir.resolve("host.mjs"), v86Version, manifest.getProperty("sha256.host.mjs"));
    }

    private static void moveIntoPlace(Path temp, Path dir) throws IOException {
        try {
            Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            // another JVM unpacked the same files at the same time: theirs is verified by the caller
        } catch (IOException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    private static boolean verified(Path dir, List<String> files, Properties manifest) throws IOException {
        for (String file : files) {
            Path path = dir.resolve(file);
            if (!Files.isRegularFile(path) || !Hashes.sha256(path).equals(manifest.getProperty("sha256." + file))) {
                return false;
            }
        }
        return true;
    }

    private static Properties loadManifest() {
        Properties manifest = new Properties();
        try (InputStream in = resource("host.properties")) {
            manifest.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return manifest;
    }

    private static InputStream resource(String name) {
        InputStream in = HostRuntime.class.getClassLoader().getResourceAsStream(RESOURCES + name);
        if (in == null) {
            throw new V86Exception("the classpath lacks " + RESOURCES + name + ": add dev.v86unit:v86unit-node-host");
        }
        return in;
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            org.apache.commons.io.file.PathUtils.delete(path);   // does not follow symlinks
        }
    }
}
