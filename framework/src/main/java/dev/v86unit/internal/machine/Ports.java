package dev.v86unit.internal.machine;

import static org.awaitility.Awaitility.await;

import dev.v86unit.V86Exception;
import dev.v86unit.internal.host.HostClient;
import dev.v86unit.internal.text.Excerpts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The ports of one machine: which guest ports listen on which host ports, which host ports the
 * guest may reach. The Node host does the bridging (network.mjs); this keeps the lists, so that a
 * machine re-created in a new host process gets the same ports again.
 */
final class Ports {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration HTTP_ATTEMPT = Duration.ofSeconds(5);

    private final String machine;
    private final boolean network;
    private final List<Integer> specExposed;
    /** guest port -> host port */
    private final Map<Integer, Integer> exposed = new TreeMap<>();
    private final Set<Integer> allowed = new LinkedHashSet<>();
    /** Ports added at run time: the machine is not handed on to another user with them. */
    private boolean changedAtRunTime;

    Ports(String machine, boolean network, List<Integer> exposedPorts, List<Integer> hostPorts) {
        this.machine = machine;
        this.network = network;
        this.specExposed = exposedPorts;
        exposedPorts.forEach(port -> exposed.put(port, 0));
        allowed.addAll(hostPorts);
    }

    boolean network() {
        return network;
    }

    boolean changedAtRunTime() {
        return changedAtRunTime;
    }

    /** Opens every port in a (new) host process, on the host ports they had if those are free. */
    synchronized void open(HostClient host) {
        if (!network) {
            return;
        }
        for (Map.Entry<Integer, Integer> port : exposed.entrySet()) {
            port.setValue(host.exposePort(port.getKey(), port.getValue()));
        }
        allowed.forEach(host::allowHostPort);
    }

    synchronized int hostPort(int guestPort) {
        Integer port = exposed.get(guestPort);
        if (port == null || port == 0) {
            throw new IllegalArgumentException("guest port " + guestPort + " of " + machine + " is not exposed; exposed: "
                    + (exposed.isEmpty() ? "none" : exposed.keySet()) + ". Expose it with @V86Vm(exposedPorts = " + guestPort
                    + "), MachineSpec.withExposedPorts(" + guestPort + ") or vm.exposePort(" + guestPort + ")");
        }
        return port;
    }

    synchronized int expose(HostClient host, int guestPort) {
        requirePort(guestPort, "guest port");
        requireNetwork("expose guest port " + guestPort);
        Integer known = exposed.get(guestPort);
        if (known != null && known != 0) {
            return known;
        }
        int hostPort = host.exposePort(guestPort, 0);
        exposed.put(guestPort, hostPort);
        changedAtRunTime |= !specExposed.contains(guestPort);
        return hostPort;
    }

    synchronized void allow(HostClient host, int hostPort) {
        requirePort(hostPort, "host port");
        requireNetwork("let the guest reach host port " + hostPort);
        host.allowHostPort(hostPort);
        changedAtRunTime |= allowed.add(hostPort);
    }

    /** Until something in the guest accepts connections on the port (a connection attempt without data). */
    void waitForPort(HostClient host, int guestPort, Duration timeout) {
        requirePort(guestPort, "guest port");
        requireTimeout(timeout);
        requireNetwork("wait for guest port " + guestPort);
        AtomicReference<String> last = new AtomicReference<>("no attempt finished");
        try {
            await("guest port " + guestPort + " of " + machine + " to accept connections").atMost(timeout).pollDelay(Duration.ZERO)
                    .pollInterval(POLL).pollInSameThread().until(() -> {
                        last.set(host.probePort(guestPort));
                        return "open".equals(last.get());
                    });
        } catch (ConditionTimeoutException e) {
            throw new V86Exception("Nothing accepted connections on guest port " + guestPort + " of " + machine + " within "
                    + Excerpts.duration(timeout) + "; the last attempt: " + describeProbe(last.get()), e);
        }
    }

    private static String describeProbe(String state) {
        return switch (state) {
            case "refused" -> "refused (nothing listens on that port in the guest)";
            case "no answer" -> "no answer (is the guest's network down, or a firewall dropping it?)";
            default -> state;
        };
    }

    /** Until {@code GET http://127.0.0.1:<hostPort(guestPort)><path>} answers 200. */
    void waitForHttp(int guestPort, String path, Duration timeout) {
        requireTimeout(timeout);
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', was " + path);
        }
        URI uri = URI.create("http://127.0.0.1:" + hostPort(guestPort) + path);
        HttpClient client = HttpClient.newBuilder().connectTimeout(HTTP_ATTEMPT).build();
        AtomicReference<String> last = new AtomicReference<>("no attempt finished");
        try {
            await("HTTP 200 from " + uri + " (guest port " + guestPort + " of " + machine + ")").atMost(timeout).pollDelay(Duration.ZERO)
                    .pollInterval(POLL).pollInSameThread().until(() -> {
                        try {
                            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(HTTP_ATTEMPT).GET().build(),
                                    HttpResponse.BodyHandlers.ofString());
                            last.set("HTTP " + response.statusCode() + " " + Excerpts.quote(response.body()));
                            return response.statusCode() == 200;
                        } catch (IOException e) {
                            last.set(e.toString());
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new V86Exception("GET " + uri + " (guest port " + guestPort + " of " + machine + ") did not answer 200 within "
                    + Excerpts.duration(timeout) + "; the last attempt: " + last.get(), e);
        }
    }

    private void requireNetwork(String what) {
        if (!network) {
            throw new IllegalStateException("Cannot " + what + ": " + machine + " has no network device, because it was started"
                    + " without ports. Name at least one port when starting it: @V86Vm(exposedPorts = ...) or (hostPorts = ...),"
                    + " MachineSpec.withExposedPorts(...) or .withHostPorts(...)");
        }
    }

    private static void requirePort(int port, String what) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " " + port + " is not a TCP port (1-65535)");
        }
    }

    private static void requireTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }
}
