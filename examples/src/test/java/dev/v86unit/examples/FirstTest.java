package dev.v86unit.examples;

import static dev.v86unit.assertj.V86Assertions.assertThat;

import dev.v86unit.V86Machine;
import dev.v86unit.junit.V86Vm;
import org.junit.jupiter.api.Test;

/** The smallest v86unit test: a real i386 machine, a command, and assertions on what it did. */
@V86Vm(image = "busybox")
class FirstTest {

    @Test
    void capturesExitCodeAndStreams(V86Machine vm) {
        assertThat(vm.exec("echo hi; echo oops >&2; exit 3"))
                .hasExitCode(3)
                .stdout().isEqualTo("hi\n");
    }
}
