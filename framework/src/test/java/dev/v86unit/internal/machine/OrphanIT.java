package dev.v86unit.internal.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v86unit.V86Machine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ArrayList;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** No Node host outlives its JVM, even one killed with SIGKILL (no shutdown hook runs then). */
class OrphanIT {

    @Test
    void the_node_host_exits_when_its_jvm_is_killed() throws Exception {
        List<String> command = new ArrayList<>(ChildJvm.javaCommand());
        command.addAll(List.of("-Dv86unit.cache.dir=" + System.getProperty("v86unit.cache.dir", ""), Probe.class.getName()));
        Process jvm = new ProcessBuilder(command)
                .redirectErrorStream(false)
                .start();
        long nodePid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("node-pid "));
            assertThat(line).as("the probe JVM reports its Node host's pid").isNotNull();
            nodePid = Long.parseLong(line.substring("node-pid ".length()).trim());
        }
        ProcessHandle node = ProcessHandle.of(nodePid).orElseThrow();
        assertThat(node.isAlive()).isTrue();

        jvm.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        await("Node host " + nodePid + " to exit after its JVM was killed").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100)).until(() -> !node.isAlive());
    }

    /** Runs in the child JVM: starts a machine, says which Node process runs it, and waits to be killed. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            String cacheDir = System.getProperty("v86unit.cache.dir");
            if (cacheDir != null && cacheDir.isEmpty()) {
                System.clearProperty("v86unit.cache.dir");
            }
            V86Machine vm = V86Machine.start("busybox");
            vm.exec("true");
            long pid = ProcessHandle.current().children()
                    .filter(p -> p.info().command().map(c -> c.endsWith("node")).orElse(false))
                    .findFirst().orElseThrow().pid();
            System.out.println("node-pid " + pid);
            System.out.flush();
            Thread.sleep(Duration.ofMinutes(5).toMillis());
        }
    }
}
