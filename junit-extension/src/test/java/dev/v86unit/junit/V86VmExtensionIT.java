package dev.v86unit.junit;

import static dev.v86unit.assertj.V86Assertions.assertThat;

import dev.v86unit.V86Machine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One real machine for the class, injected everywhere a V86Machine is asked for. */
@V86Vm(image = "busybox")
class V86VmExtensionIT {

    static V86Machine staticField;
    static V86Machine fromBeforeAll;
    V86Machine instanceField;
    V86Machine fromBeforeEach;

    @BeforeAll
    static void beforeAll(V86Machine vm) {
        fromBeforeAll = vm;
        assertThat(vm.exec("echo setup > /tmp/setup")).succeeds();
    }

    @BeforeEach
    void beforeEach(V86Machine vm) {
        fromBeforeEach = vm;
    }

    @Test
    void injects_one_machine_into_fields_and_parameters(V86Machine vm) {
        assertThat(staticField).isSameAs(vm);
        assertThat(instanceField).isSameAs(vm);
        assertThat(fromBeforeAll).isSameAs(vm);
        assertThat(fromBeforeEach).isSameAs(vm);
    }

    @Test
    void the_machine_is_real_and_keeps_what_before_all_did(V86Machine vm) {
        assertThat(vm.exec("uname -m")).succeeds().stdout().isEqualTo("i686\n");
        assertThat(vm.exec("cat /tmp/setup")).succeeds().stdout().isEqualTo("setup\n");
    }

    @Nested
    class Nested_classes {

        @Test
        void share_the_enclosing_class_machine(V86Machine vm) {
            assertThat(vm).isSameAs(staticField);
            assertThat(vm.exec("cat /tmp/setup")).succeeds().stdout().isEqualTo("setup\n");
        }
    }
}
