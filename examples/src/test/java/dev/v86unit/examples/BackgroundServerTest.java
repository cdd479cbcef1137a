package dev.v86unit.examples;

import static dev.v86unit.assertj.V86Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v86unit.ExecOptions;
import dev.v86unit.ExecResult;
import dev.v86unit.GuestProcess;
import dev.v86unit.V86Machine;
import dev.v86unit.junit.V86Vm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A server in the background, commands against it, and output watched while it is written. */
@V86Vm(image = "busybox", resetBetweenTests = true)
class BackgroundServerTest {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundServerTest.class);

    @Test
    void a_web_server_answers_while_it_runs_in_the_background(V86Machine vm) {
        assertThat(vm.exec("mkdir -p /srv/www && echo hello > /srv/www/index.html")).succeeds();
        GuestProcess server = vm.execInBackground("httpd -f -vv -p 8080 -h /srv/www");

        ExecResult page = vm.waitUntilSucceeds("wget -q -O- http://127.0.0.1:8080/index.html", Duration.ofSeconds(30));
        assertThat(page).stdout().isEqualTo("hello\n");
        assertThat(server.isAlive()).isTrue();

        server.kill();
        assertThat(server.isAlive()).isFalse();
        assertThat(server.stderr()).contains("url:/index.html", "response:200"); // httpd -vv logs each request to stderr
    }

    @Test
    void long_output_streams_to_a_consumer_and_arrives_complete(V86Machine vm) {
        List<String> chunks = new ArrayList<>();
        ExecResult result = vm.exec("for suite in parser lexer printer; do echo \"PASS: $suite\"; sleep 1; done; seq 1 100000",
                ExecOptions.defaults().withOutputConsumer(frame -> {
                    chunks.add(frame.utf8String());
                    LOG.info("{}: {} bytes", frame.type(), frame.bytes().length);
                }));
        assertThat(result).succeeds().stdout().startsWith("PASS: parser\nPASS: lexer\nPASS: printer\n1\n").endsWith("\n99999\n100000\n");
        assertThat(String.join("", chunks)).isEqualTo(result.stdout());
        assertThat(chunks.get(0)).isEqualTo("PASS: parser\n"); // seen while the command still ran
    }
}
