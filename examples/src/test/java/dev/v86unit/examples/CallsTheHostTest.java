package dev.v86unit.examples;

import static dev.v86unit.assertj.V86Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.v86unit.V86Machine;
import dev.v86unit.junit.V86Vm;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The guest calls a server the test runs: the host's 127.0.0.1:PORT is host.v86unit.internal:PORT in
 * the guest, because the class allows that port (hostPorts). Every other port and address is refused.
 */
@V86Vm(image = "busybox", hostPorts = CallsTheHostTest.PORT)
class CallsTheHostTest {

    static final int PORT = 38_080;
    static HttpServer server;
    static final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT), 0);
        server.createContext("/health", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @Test
    void the_guest_reaches_the_tests_server(V86Machine vm) {
        assertThat(vm.exec("timeout 20 wget -q -O- http://host.v86unit.internal:" + PORT + "/health"))
                .succeeds().stdout().isEqualTo("{\"status\":\"UP\"}");
        assertThat(requests).contains("GET /health");
    }

    @Test
    void other_ports_are_refused(V86Machine vm) {
        assertThat(vm.exec("timeout 20 wget -q -O- http://host.v86unit.internal:" + (PORT + 1) + "/health"))
                .fails().stderr().contains("Connection refused");
    }
}
