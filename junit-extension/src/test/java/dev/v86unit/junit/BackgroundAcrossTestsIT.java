package dev.v86unit.junit;

import static dev.v86unit.assertj.V86Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v86unit.GuestProcess;
import dev.v86unit.V86Machine;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A background command still running when its test ends: ended by resetBetweenTests, else kept. */
class BackgroundAcrossTestsIT {

    @Nested
    @V86Vm(image = "busybox", resetBetweenTests = true)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class With_reset_between_tests {

        static GuestProcess server;

        @Test
        @Order(1)
        void starts_a_server(V86Machine vm) {
            server = vm.execInBackground("echo listening; sleep 1000");
            server.waitForOutput("listening", Duration.ofSeconds(30));
        }

        @Test
        @Order(2)
        void the_next_test_starts_without_it(V86Machine vm) {
            assertThat(server.isAlive()).isFalse();
            assertThat(vm.exec("ps | grep '[s]leep 1000'")).fails();
        }
    }

    @Nested
    @V86Vm(image = "busybox")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Without_reset {

        static GuestProcess server;

        @Test
        @Order(1)
        void starts_a_server(V86Machine vm) {
            server = vm.execInBackground("echo listening; sleep 1000");
            server.waitForOutput("listening", Duration.ofSeconds(30));
        }

        @Test
        @Order(2)
        void the_next_test_still_has_it(V86Machine vm) {
            assertThat(server.isAlive()).isTrue();
            assertThat(vm.exec("ps | grep '[s]leep 1000'")).succeeds();
            server.kill();
            assertThat(server.waitFor(Duration.ofSeconds(5))).isEqualTo(143);
        }
    }
}
