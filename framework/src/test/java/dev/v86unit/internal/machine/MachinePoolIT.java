package dev.v86unit.internal.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v86unit.ExecTimeoutException;
import dev.v86unit.GuestProcess;
import dev.v86unit.V86Machine;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A closed machine is reset and handed to the next start of the same spec, and nothing of its user is left. */
class MachinePoolIT {

    @AfterEach
    void emptyThePool() {
        MachinePool.SHARED.closeAll();
    }

    private static String name(V86Machine vm) {
        return ((PooledMachine) vm).machine().name();
    }

    @Test
    void the_next_start_of_the_same_spec_gets_the_machine_back_with_nothing_of_the_last_user() {
        V86Machine first = V86Machine.start("busybox");
        String name = name(first);
        first.exec("echo secret > /root/left-behind");
        GuestProcess server = first.execInBackground("echo up; sleep 1000");
        server.waitForOutput("up", Duration.ofSeconds(30));
        first.exec("date -s @86400 >/dev/null");
        first.exec("hostname left-behind; export LEFT_BEHIND=yes; cd /tmp");
        first.close();
        assertThat(server.isAlive()).isFalse();
        assertThatThrownBy(() -> first.exec("true")).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");

        try (V86Machine second = V86Machine.start("busybox")) {
            assertThat(name(second)).as("the same machine, handed on").isEqualTo(name);
            assertThat(second.exec("test -e /root/left-behind").exitCode()).isEqualTo(1);
            assertThat(second.exec("ps | grep -c '[s]leep 1000'").stdout().trim()).isEqualTo("0");
            assertThat(second.exec("echo ${LEFT_BEHIND-unset} $PWD $(hostname)").stdout()).isEqualTo("unset /root v86unit\n");
            long guestClock = Long.parseLong(second.exec("date +%s").stdout().trim());
            assertThat(guestClock).isBetween(Instant.now().getEpochSecond() - 10, Instant.now().getEpochSecond() + 10);
        }
    }

    @Test
    void a_machine_that_timed_out_is_closed_not_handed_on() {
        V86Machine first = V86Machine.start("busybox");
        String name = name(first);
        assertThatThrownBy(() -> first.exec("sleep 30", Duration.ofSeconds(1))).isInstanceOf(ExecTimeoutException.class);
        first.close();
        try (V86Machine second = V86Machine.start("busybox")) {
            assertThat(name(second)).isNotEqualTo(name);
            assertThat(second.exec("echo fresh").stdout()).isEqualTo("fresh\n");
        }
    }

    @Test
    void checkpoints_of_the_last_user_are_refused() {
        V86Machine first = V86Machine.start("busybox");
        var checkpoint = first.checkpoint();
        first.exec("touch /root/x");
        first.close();
        try (V86Machine second = V86Machine.start("busybox")) {
            assertThatThrownBy(() -> second.restore(checkpoint)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("was lost");
        }
    }
}
