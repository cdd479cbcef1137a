package dev.v86unit.internal.config;

import dev.v86unit.V86Exception;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Properties;

/**
 * The user's configuration: each setting comes from a system property, else an environment
 * variable, else a default. Read once per machine start, so a test can change a property.
 *
 * @param cacheDir     {@code v86unit.cache.dir} / {@code V86UNIT_CACHE_DIR}, else {@code $XDG_CACHE_HOME/v86unit}, else {@code ~/.cache/v86unit}
 * @param node         {@code v86unit.node} / {@code V86UNIT_NODE}, else {@code node} on PATH
 * @param debianMirror {@code v86unit.debian.mirror} / {@code V86UNIT_DEBIAN_MIRROR}, else {@code http://deb.debian.org/debian}
 * @param bootTimeout  {@code v86unit.boot.timeout} / {@code V86UNIT_BOOT_TIMEOUT} (seconds or ISO-8601), else 3 minutes
 * @param execTimeout  {@code v86unit.exec.timeout} / {@code V86UNIT_EXEC_TIMEOUT} (seconds or ISO-8601), else 60 s
 * @param snapshotReuse {@code v86unit.snapshot.reuse} / {@code V86UNIT_SNAPSHOT_REUSE}: false makes this run
 *                     cold-boot and write its snapshots anew, else true
 * @param outputLimit  {@code v86unit.exec.outputLimit} / {@code V86UNIT_EXEC_OUTPUTLIMIT} (bytes, or with k, m, g): how much of
 *                     each of a command's streams is kept; else 256 MiB
 * @param poolSize     {@code v86unit.pool.size} / {@code V86UNIT_POOL_SIZE}: how many closed machines are kept, reset, for
 *                     the next start of the same spec; 0 turns reuse off; else 2
 * @param poolIdle     {@code v86unit.pool.idle} / {@code V86UNIT_POOL_IDLE} (seconds or ISO-8601): how long a kept machine
 *                     waits before it is closed; else 60 s
 * @param firstBootTimeout {@code v86unit.firstBoot.timeout} / {@code V86UNIT_FIRSTBOOT_TIMEOUT} (seconds or ISO-8601): how long
 *                     an image's first boot may take to run its packages' maintainer scripts (once per image and
 *                     cache); else 30 minutes
 */
public record Settings(Path cacheDir, String node, URI debianMirror, Duration bootTimeout, Duration execTimeout, boolean snapshotReuse,
        long outputLimit, int poolSize, Duration poolIdle, Duration firstBootTimeout) {

    public static final String CACHE_DIR = "v86unit.cache.dir";
    public static final String NODE = "v86unit.node";
    public static final String DEBIAN_MIRROR = "v86unit.debian.mirror";
    public static final String BOOT_TIMEOUT = "v86unit.boot.timeout";
    public static final String EXEC_TIMEOUT = "v86unit.exec.timeout";
    public static final String SNAPSHOT_REUSE = "v86unit.snapshot.reuse";
    public static final String OUTPUT_LIMIT = "v86unit.exec.outputLimit";
    public static final String POOL_SIZE = "v86unit.pool.size";
    public static final String POOL_IDLE = "v86unit.pool.idle";
    public static final String FIRST_BOOT_TIMEOUT = "v86unit.firstBoot.timeout";
    /** 256 MiB per stream of one command. */
    public static final long DEFAULT_OUTPUT_LIMIT = 256L << 20;
    public static final URI DEFAULT_DEBIAN_MIRROR = URI.create("http://deb.debian.org/debian");

    /** @return the settings of this JVM's system properties and environment */
    public static Settings load() {
        return load(System.getProperties(), System.getenv());
    }

    static Settings load(Properties properties, Map<String, String> environment) {
        Lookup lookup = new Lookup(properties, environment);
        String cache = lookup.get(CACHE_DIR);
        Path cacheDir = cache != null ? Path.of(cache) : defaultCacheDir(environment);
        String node = lookup.get(NODE);
        String mirror = lookup.get(DEBIAN_MIRROR);
        return new Settings(
                cacheDir.toAbsolutePath().normalize(),
                node != null ? node : "node",
                mirror != null ? URI.create(mirror.endsWith("/") ? mirror.substring(0, mirror.length() - 1) : mirror) : DEFAULT_DEBIAN_MIRROR,
                lookup.duration(BOOT_TIMEOUT, Duration.ofMinutes(3)),
                lookup.duration(EXEC_TIMEOUT, Duration.ofSeconds(60)),
                lookup.bool(SNAPSHOT_REUSE, true),
                lookup.size(OUTPUT_LIMIT, DEFAULT_OUTPUT_LIMIT),
                lookup.count(POOL_SIZE, 2),
                lookup.duration(POOL_IDLE, Duration.ofSeconds(60)),
                lookup.duration(FIRST_BOOT_TIMEOUT, Duration.ofMinutes(30)));
    }

    /** @return the environment variable that stands for a property: v86unit.cache.dir -> V86UNIT_CACHE_DIR */
    public static String environmentName(String property) {
        return property.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
    }

    private static Path defaultCacheDir(Map<String, String> environment) {
        String xdg = environment.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "v86unit");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "v86unit");
    }

    private record Lookup(Properties properties, Map<String, String> environment) {

        String get(String property) {
            String value = properties.getProperty(property);
            if (value == null || value.isBlank()) {
                value = environment.get(environmentName(property));
            }
            return value == null || value.isBlank() ? null : value.trim();
        }

        boolean bool(String property, boolean fallback) {
            String value = get(property);
            if (value == null) {
                return fallback;
            }
            if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(value);
            }
            throw new V86Exception("Invalid value '" + value + "' for " + property + " / " + environmentName(property) + ": give true or false");
        }

        int count(String property, int fallback) {
            String value = get(property);
            if (value == null) {
                return fallback;
            }
            if (value.matches("\\d{1,4}")) {
                return Integer.parseInt(value);
            }
            throw new V86Exception("Invalid value '" + value + "' for " + property + " / " + environmentName(property)
                    + ": give a whole number (0 turns it off)");
        }

        long size(String property, long fallback) {
            String value = get(property);
            if (value == null) {
                return fallback;
            }
            var matcher = java.util.regex.Pattern.compile("(\\d+)\\s*([kmgKMG]?)[bB]?").matcher(value);
            if (matcher.matches()) {
                int shift = switch (matcher.group(2).toLowerCase(java.util.Locale.ROOT)) {
                    case "k" -> 10;
                    case "m" -> 20;
                    case "g" -> 30;
                    default -> 0;
                };
                long number = Long.parseLong(matcher.group(1));
                if (number > 0 && number < (Long.MAX_VALUE >> shift)) {
                    return number << shift;
                }
            }
            throw new V86Exception("Invalid value '" + value + "' for " + property + " / " + environmentName(property)
                    + ": give a number of bytes, optionally with k, m or g (e.g. 64m)");
        }

        Duration duration(String property, Duration fallback) {
            String value = get(property);
            if (value == null) {
                return fallback;
            }
            try {
                Duration parsed = value.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value)) : Duration.parse(value);
                if (!parsed.isNegative() && !parsed.isZero()) {
                    return parsed;
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
            throw new V86Exception("Invalid value '" + value + "' for " + property + " / " + environmentName(property)
                    + ": give a number of seconds (e.g. 120) or an ISO-8601 duration (e.g. PT2M)");
        }
    }
}
