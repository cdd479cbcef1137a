package dev.v86unit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What machine to start: the image and the timeouts. Immutable; each {@code withX} returns a copy.
 *
 * <pre>{@code
 * MachineSpec spec = MachineSpec.of("debian")
 *         .withPackages("bc", "tcc")
 *         .withBootTimeout(Duration.ofMinutes(3))
 *         .withExecTimeout(Duration.ofSeconds(30))
 *         .withSnapshot(false);
 * try (V86Machine vm = V86Machine.start(spec)) { ... }
 * }</pre>
 *
 * @param image       a built-in image name such as {@code "busybox"} or {@code "debian"}, never null
 * @param packages    Debian packages to add to the image (with their dependencies), making a derived
 *                    image of its own id; empty for the image as it is. Sorted, without duplicates.
 * @param bootTimeout how long a cold boot may take before {@link MachineBootException}; null means the
 *                    configured default (property {@code v86unit.boot.timeout}, else 3 minutes)
 * @param execTimeout the timeout of {@link V86Machine#exec(String)} without an explicit one; null means
 *                    the configured default (property {@code v86unit.exec.timeout}, else 60 s)
 * @param snapshot    true (the default) to start from the image's cached snapshot, making it on the first
 *                    start; false to cold-boot every time
 */
public record MachineSpec(String image, List<String> packages, Duration bootTimeout, Duration execTimeout, boolean snapshot) {

    public MachineSpec {
        Objects.requireNonNull(image, "image");
        if (image.isBlank()) {
            throw new IllegalArgumentException("image must not be blank");
        }
        Objects.requireNonNull(packages, "packages");
        for (String name : packages) {
            if (name == null || !name.matches("[a-z0-9][a-z0-9+.-]+")) {
                throw new IllegalArgumentException("'" + name + "' is not a Debian package name (lowercase letters, digits, + - .)");
            }
        }
        packages = packages.stream().distinct().sorted().toList();
        requirePositive(bootTimeout, "bootTimeout");
        requirePositive(execTimeout, "execTimeout");
    }

    /** @return a spec for the named image with the configured default timeouts */
    public static MachineSpec of(String image) {
        return new MachineSpec(image, List.of(), null, null, true);
    }

    /** @return a copy that boots {@code image} instead */
    public MachineSpec withImage(String image) {
        return new MachineSpec(image, packages, bootTimeout, execTimeout, snapshot);
    }

    /** @return a copy whose cold boot may take at most {@code timeout} */
    public MachineSpec withBootTimeout(Duration timeout) {
        return new MachineSpec(image, packages, timeout, execTimeout, snapshot);
    }

    /** @return a copy whose {@link V86Machine#exec(String)} calls time out after {@code timeout} */
    public MachineSpec withExecTimeout(Duration timeout) {
        return new MachineSpec(image, packages, bootTimeout, timeout, snapshot);
    }

    /** @return a copy whose image has these Debian packages (and their dependencies) added */
    public MachineSpec withPackages(String... packages) {
        return new MachineSpec(image, List.of(packages), bootTimeout, execTimeout, snapshot);
    }

    /** @return a copy that starts from the cached snapshot ({@code true}) or always cold-boots ({@code false}) */
    public MachineSpec withSnapshot(boolean snapshot) {
        return new MachineSpec(image, packages, bootTimeout, execTimeout, snapshot);
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
