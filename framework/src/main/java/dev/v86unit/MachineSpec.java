package dev.v86unit;

import java.time.Duration;
import java.util.Objects;

/**
 * What machine to start: the image and the timeouts. Immutable; each {@code withX} returns a copy.
 *
 * <pre>{@code
 * MachineSpec spec = MachineSpec.of("busybox")
 *         .withBootTimeout(Duration.ofMinutes(3))
 *         .withExecTimeout(Duration.ofSeconds(30))
 *         .withSnapshot(false);
 * try (V86Machine vm = V86Machine.start(spec)) { ... }
 * }</pre>
 *
 * @param image       a built-in image name such as {@code "busybox"}, never null
 * @param bootTimeout how long a cold boot may take before {@link MachineBootException}; null means the
 *                    configured default (property {@code v86unit.boot.timeout}, else 3 minutes)
 * @param execTimeout the timeout of {@link V86Machine#exec(String)} without an explicit one; null means
 *                    the configured default (property {@code v86unit.exec.timeout}, else 60 s)
 * @param snapshot    true (the default) to start from the image's cached snapshot, making it on the first
 *                    start; false to cold-boot every time
 */
public record MachineSpec(String image, Duration bootTimeout, Duration execTimeout, boolean snapshot) {

    public MachineSpec {
        Objects.requireNonNull(image, "image");
        if (image.isBlank()) {
            throw new IllegalArgumentException("image must not be blank");
        }
        requirePositive(bootTimeout, "bootTimeout");
        requirePositive(execTimeout, "execTimeout");
    }

    /** @return a spec for the named image with the configured default timeouts */
    public static MachineSpec of(String image) {
        return new MachineSpec(image, null, null, true);
    }

    /** @return a copy that boots {@code image} instead */
    public MachineSpec withImage(String image) {
        return new MachineSpec(image, bootTimeout, execTimeout, snapshot);
    }

    /** @return a copy whose cold boot may take at most {@code timeout} */
    public MachineSpec withBootTimeout(Duration timeout) {
        return new MachineSpec(image, timeout, execTimeout, snapshot);
    }

    /** @return a copy whose {@link V86Machine#exec(String)} calls time out after {@code timeout} */
    public MachineSpec withExecTimeout(Duration timeout) {
        return new MachineSpec(image, bootTimeout, timeout, snapshot);
    }

    /** @return a copy that starts from the cached snapshot ({@code true}) or always cold-boots ({@code false}) */
    public MachineSpec withSnapshot(boolean snapshot) {
        return new MachineSpec(image, bootTimeout, execTimeout, snapshot);
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
