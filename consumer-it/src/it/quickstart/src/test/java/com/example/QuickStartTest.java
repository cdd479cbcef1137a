package com.example;

import static dev.v86unit.assertj.V86Assertions.assertThat;

import dev.v86unit.V86Machine;
import dev.v86unit.junit.V86Vm;
import org.junit.jupiter.api.Test;

/** The README's first test, in a project that has only the BOM and v86unit-junit-jupiter. */
@V86Vm(image = "busybox", execTimeout = "60")
class QuickStartTest {

    @Test
    void capturesExitCodeAndStreams(V86Machine vm) {
        assertThat(vm.exec("echo hi; echo oops >&2; exit 3"))
                .hasExitCode(3)
                .stdout().isEqualTo("hi\n");
    }

    @Test
    void runsAnI386Kernel(V86Machine vm) {
        assertThat(vm.exec("uname -m")).succeeds().stdout().isEqualTo("i686\n");
    }
}
