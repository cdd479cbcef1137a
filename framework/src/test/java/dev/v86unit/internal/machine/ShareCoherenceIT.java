package dev.v86unit.internal.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v86unit.V86Machine;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A file replaced from the host is what the guest reads next, in both kinds of image (no stale 9p cache). */
class ShareCoherenceIT {

    @ParameterizedTest
    @ValueSource(strings = {"busybox", "debian"})
    void a_file_overwritten_from_the_host_is_read_fresh_by_the_guest(String image) {
        try (V86Machine vm = V86Machine.start(image)) {
            DefaultV86Machine machine = ((PooledMachine) vm).machine();
            for (String content : new String[] {"first version, rather long\n", "second\n", "third, longer than the second\n"}) {
                machine.writeShareFile("/fixtures/data.txt", content.getBytes(StandardCharsets.UTF_8));
                assertThat(vm.exec("cat /mnt/v86unit/fixtures/data.txt").stdout()).isEqualTo(content);
                assertThat(vm.exec("wc -c < /mnt/v86unit/fixtures/data.txt").stdout().trim()).isEqualTo(Integer.toString(content.length()));
            }
        }
    }
}
