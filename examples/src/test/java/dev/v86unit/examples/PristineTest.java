package dev.v86unit.examples;

import static dev.v86unit.assertj.V86Assertions.assertThat;

import dev.v86unit.Checkpoint;
import dev.v86unit.V86Machine;
import dev.v86unit.junit.V86Vm;
import org.junit.jupiter.api.Test;

/**
 * Every test gets the machine exactly as the snapshot left it: an in-place restore before each test
 * (a fraction of a second), instead of a boot. Inside a test, checkpoints do the same on demand.
 */
@V86Vm(image = "busybox", snapshot = true, resetBetweenTests = true)
class PristineTest {

    @Test
    void writesAFile(V86Machine vm) {
        assertThat(vm.exec("touch /root/marker")).succeeds();
    }

    @Test
    void neverSeesTheOtherTestsFile(V86Machine vm) {
        assertThat(vm.exec("test -e /root/marker")).fails();
    }

    @Test
    void returnsToACheckpointWheneverItLikes(V86Machine vm) {
        assertThat(vm.exec("mkdir -p /srv/data && echo 1 > /srv/data/counter")).succeeds();
        Checkpoint prepared = vm.checkpoint();

        assertThat(vm.exec("echo 2 > /srv/data/counter; rm -rf /srv/data/*")).succeeds();
        vm.restore(prepared);

        assertThat(vm.exec("cat /srv/data/counter")).succeeds().stdout().isEqualTo("1\n");
    }
}
