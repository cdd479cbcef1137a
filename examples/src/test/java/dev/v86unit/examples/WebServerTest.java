package dev.v86unit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v86unit.V86Machine;
import dev.v86unit.junit.V86Vm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A web server in the guest (busybox httpd on port 8080), fetched from the test with Java's HttpClient. */
@V86Vm(image = "busybox", exposedPorts = 8080)
class WebServerTest {

    @BeforeAll
    static void serve(V86Machine vm) {
        vm.exec("mkdir -p /srv/www && echo '<h1>legacy page</h1>' > /srv/www/index.html");
        vm.execInBackground("httpd -f -p 8080 -h /srv/www");
        vm.waitForPort(8080, Duration.ofSeconds(30));
    }

    @Test
    void serves_a_file_on_its_mapped_port(V86Machine vm) throws Exception {
        URI page = URI.create("http://127.0.0.1:" + vm.hostPort(8080) + "/index.html");   // vm.hostPort: like getMappedPort

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(page).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("<h1>legacy page</h1>\n");
    }

    @Test
    void answers_404_for_a_missing_file(V86Machine vm) throws Exception {
        vm.waitForHttp(8080, "/index.html", Duration.ofSeconds(30));
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + vm.hostPort(8080) + "/missing.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
    }
}
