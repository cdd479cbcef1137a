package dev.v86unit.examples;

import static dev.v86unit.assertj.V86Assertions.assertThat;

import dev.v86unit.V86Machine;
import dev.v86unit.junit.V86Vm;
import org.junit.jupiter.api.Test;

/**
 * A derived image: debian plus the packages a test needs, with their dependencies, built once from
 * Debian's archive and cached (with its snapshot) under its own id.
 */
@V86Vm(image = "debian", packages = {"bc", "tcc"})
class WithPackagesTest {

    @Test
    void bcCalculates(V86Machine vm) {
        assertThat(vm.exec("echo 2+3 | bc")).succeeds().stdout().isEqualTo("5\n");
        assertThat(vm.exec("echo 'scale=5; 4*a(1)' | bc -l")).succeeds().stdout().isEqualTo("3.14156\n");
    }

    @Test
    void tccCompilesAndRunsA32BitProgram(V86Machine vm) {
        assertThat(vm.exec("""
                cat > /tmp/hello.c <<'EOF'
                #include <stdio.h>
                int main(void) { printf("hello from a %d-bit pointer\\n", (int) (8 * sizeof(void *))); return 7; }
                EOF
                tcc -o /tmp/hello /tmp/hello.c
                """)).succeeds();
        assertThat(vm.exec("/tmp/hello")).hasExitCode(7).stdout().isEqualTo("hello from a 32-bit pointer\n");
        assertThat(vm.exec("od -An -tx1 -j4 -N1 /tmp/hello")).succeeds().stdout().isEqualTo(" 01\n");
    }
}
