package dev.v86unit.internal.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v86unit.GuestProcess;
import dev.v86unit.V86Machine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What host and guest exchange over the 9p share is fresh both ways, in both kinds of image: busybox
 * mounts the share uncached, debian's root is the share with the guest's caches (cache=loose), where
 * the host writes only under fresh names and the guest syncs or writes with O_DSYNC what the host reads.
 */
class ShareCoherenceIT {

    private static final String[] VERSIONS = {"first version, rather long\n", "second\n", "third, longer than the second\n"};

    @ParameterizedTest
    @ValueSource(strings = {"busybox", "debian"})
    void the_same_guest_file_copied_in_again_and_again_is_read_fresh_both_ways(String image, @TempDir Path dir) throws Exception {
        try (V86Machine vm = V86Machine.start(image)) {
            for (String content : VERSIONS) {
                vm.copyTo(content.getBytes(StandardCharsets.UTF_8), "/root/data.txt");
                assertThat(vm.exec("cat /root/data.txt").stdout()).isEqualTo(content);
                assertThat(vm.exec("wc -c < /root/data.txt").stdout().trim()).isEqualTo(Integer.toString(content.length()));
                vm.exec("cp /root/data.txt /root/copy.txt && echo appended >> /root/copy.txt");
                assertThat(new String(vm.readFile("/root/copy.txt"), StandardCharsets.UTF_8)).isEqualTo(content + "appended\n");
                Path out = dir.resolve("copy-" + content.length());
                vm.copyFrom("/root/copy.txt", out);
                assertThat(Files.readString(out)).isEqualTo(content + "appended\n");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox", "debian"})
    void commands_sent_as_files_and_background_output_are_fresh_every_time(String image) {
        try (V86Machine vm = V86Machine.start(image)) {
            for (String content : VERSIONS) {
                // Not plain ASCII: the command travels as a file on the share, a new one each time.
                String word = "é" + content.strip();
                assertThat(vm.exec("printf '%s' '" + word + "'").stdout()).isEqualTo(word);
                GuestProcess job = vm.execInBackground("printf '%s' '" + content.strip() + "'; echo err >&2; exit 4");
                assertThat(job.waitFor(Duration.ofSeconds(60))).isEqualTo(4);
                assertThat(job.stdout()).isEqualTo(content.strip());
                assertThat(job.stderr()).isEqualTo("err\n");
            }
        }
    }

    /** The host counts the guest's 9p requests by type (a diagnostic: what a workload costs in round trips). */
    @ParameterizedTest
    @ValueSource(strings = {"busybox", "debian"})
    void the_host_counts_the_guests_9p_requests_by_type(String image) {
        try (V86Machine vm = V86Machine.start(image)) {
            DefaultV86Machine machine = ((PooledMachine) vm).machine();
            vm.copyTo("counted\n".getBytes(StandardCharsets.UTF_8), "/root/counted.txt");
            var before = machine.hostStats().path("ninep");
            assertThat(vm.exec("cat /root/counted.txt /root/counted.txt /root/counted.txt").stdout()).isEqualTo("counted\n".repeat(3));
            var after = machine.hostStats().path("ninep");
            // the forwarders write what the command printed and the markers: at least one write per stream
            assertThat(after.path("write").asInt() - before.path("write").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(after.path("requests").asInt()).isGreaterThan(before.path("requests").asInt());
            assertThat(after.path("walk").asInt()).isGreaterThan(0);
        }
    }
}
