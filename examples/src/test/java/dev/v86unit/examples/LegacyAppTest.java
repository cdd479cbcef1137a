package dev.v86unit.examples;

import static dev.v86unit.assertj.V86Assertions.assertThat;

import dev.v86unit.V86Machine;
import dev.v86unit.junit.Fixture;
import dev.v86unit.junit.V86Vm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Fixtures over 9p: a folder with an executable script from the test classpath is copied in once,
 * before the first test; each test copies its input in, runs the tool, and takes the results out.
 * With resetBetweenTests, every test starts with the fixture in place and nothing else.
 */
@V86Vm(image = "busybox", resetBetweenTests = true,
       fixtures = @Fixture(from = "classpath:legacy-app/", to = "/opt/app"))
@Fixture(from = "src/test/data/input.txt", to = "/srv/input.txt")
class LegacyAppTest {

    @Test
    void runs(V86Machine vm) throws Exception {
        vm.copyTo(Path.of("src/test/data/input.txt"), "/tmp/input.txt");
        assertThat(vm.exec("/opt/app/run.sh /tmp/input.txt")).succeeds().stdout().isEqualTo("report: 2 names\n");

        byte[] report = vm.readFile("/tmp/report.csv");
        assertThat(new String(report, StandardCharsets.UTF_8)).isEqualTo("alice,7\nbob,5\n");

        Path out = Files.createTempDirectory("legacy-app-out");
        vm.copyFrom("/tmp/out", out);
        assertThat(out.resolve("report.csv")).hasContent("alice,7\nbob,5");
    }

    @Test
    void theFixturesAreThereInEveryTestButNothingElse(V86Machine vm) {
        assertThat(vm.exec("test -x /opt/app/run.sh && cat /srv/input.txt")).succeeds().stdout().isEqualTo("alice,3\nbob,5\nalice,4\n");
        assertThat(vm.exec("test -e /tmp/report.csv")).fails();
    }

    @Test
    void writesAFileItCreatesFromBytes(V86Machine vm) {
        vm.copyTo("carol,1\n".getBytes(StandardCharsets.UTF_8), "/tmp/single.txt");
        assertThat(vm.exec("/opt/app/run.sh /tmp/single.txt && cat /tmp/report.csv")).succeeds().stdout().endsWith("carol,1\n");
    }
}
