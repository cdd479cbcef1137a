package dev.v86unit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What machine to start: the image, the timeouts, the ports. Immutable; each {@code withX} returns a copy.
 *
 * <pre>{@code
 * MachineSpec spec = MachineSpec.of("debian")
 *         .withPackages("bc", "tcc")
 *         .withBootTimeout(Duration.ofMinutes(3))
 *         .withExecTimeout(Duration.ofSeconds(30))
 *         .withExposedPorts(8080)        // vm.hostPort(8080): 127.0.0.1:<that port> reaches the guest's 8080
 *         .withHostPorts(5000)           // the guest reaches the host's 127.0.0.1:5000 as host.v86unit.internal:5000
 *         .withSnapshot(false);
 * try (V86Machine vm = V86Machine.start(spec)) { ... }
 * }</pre>
 *
 * @param image       an image name such as {@code "busybox"}, {@code "debian"}, {@code "debian:11"} or
 *                    {@code "rootfs:file:build/alpine-minirootfs-x86.tar.gz"} (see {@code ImageStore}), never null
 * @param packages    Debian packages to add to the image (with their dependencies), making a derived
 *                    image of its own id; empty for the image as it is. Sorted, without duplicates.
 * @param bootTimeout how long a cold boot may take before {@link MachineBootException}; null means the
 *                    configured default (property {@code v86unit.boot.timeout}, else 3 minutes)
 * @param execTimeout the timeout of {@link V86Machine#exec(String)} without an explicit one; null means
 *                    the configured default (property {@code v86unit.exec.timeout}, else 60 s)
 * @param snapshot    true (the default) to start from the image's cached snapshot, making it on the first
 *                    start; false to cold-boot every time
 * @param exposedPorts guest TCP ports reachable from the host, each on a free port of 127.0.0.1
 *                    ({@link V86Machine#hostPort(int)}); sorted, without duplicates, never null
 * @param hostPorts   ports of the host's 127.0.0.1 that the guest may reach, as
 *                    {@code host.v86unit.internal:<port>}; every other address and port is refused.
 *                    Sorted, without duplicates, never null. A machine with ports of either kind has
 *                    a network device; one without has none.
 */
public record MachineSpec(String image, List<String> packages, Duration bootTimeout, Duration execTimeout, boolean snapshot,
        List<Integer> exposedPorts, List<Integer> hostPorts) {

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
        exposedPorts = ports(exposedPorts, "exposedPorts");
        hostPorts = ports(hostPorts, "hostPorts");
    }

    /** @return a spec for the named image with the configured default timeouts */
    public static MachineSpec of(String image) {
        return new MachineSpec(image, List.of(), null, null, true, List.of(), List.of());
    }

    /** @return a copy that boots {@code image} instead */
    public MachineSpec withImage(String image) {
        return new MachineSpec(image, packages, bootTimeout, execTimeout, snapshot, exposedPorts, hostPorts);
    }

    /** @return a copy whose cold boot may take at most {@code timeout} */
    public MachineSpec withBootTimeout(Duration timeout) {
        return new MachineSpec(image, packages, timeout, execTimeout, snapshot, exposedPorts, hostPorts);
    }

    /** @return a copy whose {@link V86Machine#exec(String)} calls time out after {@code timeout} */
    public MachineSpec withExecTimeout(Duration timeout) {
        return new MachineSpec(image, packages, bootTimeout, timeout, snapshot, exposedPorts, hostPorts);
    }

    /** @return a copy whose image has these Debian packages (and their dependencies) added */
    public MachineSpec withPackages(String... packages) {
        return new MachineSpec(image, List.of(packages), bootTimeout, execTimeout, snapshot, exposedPorts, hostPorts);
    }

    /** @return a copy that starts from the cached snapshot ({@code true}) or always cold-boots ({@code false}) */
    public MachineSpec withSnapshot(boolean snapshot) {
        return new MachineSpec(image, packages, bootTimeout, execTimeout, snapshot, exposedPorts, hostPorts);
    }

    /** @return a copy whose guest ports {@code ports} are reachable from the host ({@link V86Machine#hostPort(int)}) */
    public MachineSpec withExposedPorts(int... ports) {
        return new MachineSpec(image, packages, bootTimeout, execTimeout, snapshot, boxed(ports), hostPorts);
    }

    /** @return a copy whose guest may reach these ports of the host's 127.0.0.1 as {@code host.v86unit.internal} */
    public MachineSpec withHostPorts(int... ports) {
        return new MachineSpec(image, packages, bootTimeout, execTimeout, snapshot, exposedPorts, boxed(ports));
    }

    /** @return true if the machine has a network device: it was asked for ports of either kind */
    public boolean hasNetwork() {
        return !exposedPorts.isEmpty() || !hostPorts.isEmpty();
    }

    private static List<Integer> boxed(int... ports) {
        if (ports == null) {
            throw new IllegalArgumentException("ports must not be null");
        }
        return java.util.Arrays.stream(ports).boxed().toList();
    }

    private static List<Integer> ports(List<Integer> ports, String name) {
        Objects.requireNonNull(ports, name);
        for (Integer port : ports) {
            if (port == null || port < 1 || port > 65535) {
                throw new IllegalArgumentException(name + ": " + port + " is not a TCP port (1-65535)");
            }
        }
        return ports.stream().distinct().sorted().toList();
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
