package dev.v86unit.junit;

import static dev.v86unit.assertj.V86Assertions.assertThat;

import dev.v86unit.V86Machine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * resetBetweenTests: each test starts from the state before the first test (after @BeforeAll),
 * whatever the tests before it did; @BeforeEach runs after the reset; @Nested tests are reset too.
 */
@V86Vm(image = "busybox", snapshot = true, resetBetweenTests = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResetBetweenTestsIT {

    @BeforeAll
    static void setUpOnce(V86Machine vm) {
        assertThat(vm.exec("echo kept > /root/from-before-all")).succeeds();
    }

    @BeforeEach
    void setUpEach(V86Machine vm) {
        assertThat(vm.exec("test -e /root/from-before-each")).as("@BeforeEach runs after the reset").fails();
        assertThat(vm.exec("touch /root/from-before-each")).succeeds();
    }

    @Test
    @Order(1)
    void writesAFile(V86Machine vm) {
        assertThat(vm.exec("touch /root/marker; echo x > /mnt/v86unit/marker")).succeeds();
    }

    @Test
    @Order(2)
    void neverSeesTheOtherTestsFile(V86Machine vm) {
        assertThat(vm.exec("test -e /root/marker")).fails();
        assertThat(vm.exec("test -e /mnt/v86unit/marker")).fails();
    }

    @Test
    @Order(3)
    void keepsWhatBeforeAllDid(V86Machine vm) {
        assertThat(vm.exec("cat /root/from-before-all")).succeeds().stdout().isEqualTo("kept\n");
        assertThat(vm.exec("test -e /root/from-before-each")).succeeds();
    }

    @Nested
    class Nested_tests {

        @Test
        void are_reset_too(V86Machine vm) {
            assertThat(vm.exec("test -e /root/marker")).fails();
            assertThat(vm.exec("cat /root/from-before-all")).succeeds();
            assertThat(vm.exec("touch /root/marker")).succeeds();
        }
    }
}
