package dev.v86unit.examples;

import static dev.v86unit.assertj.V86Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v86unit.ExecTimeoutException;
import dev.v86unit.V86Machine;
import dev.v86unit.junit.V86Vm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A real 32-bit x86 binary from Debian's i386 archive, running in the guest; and a command that hangs. */
@V86Vm(image = "busybox")
class LegacyBinaryTest {

    @Test
    void busybox_is_a_32_bit_i386_elf_executable(V86Machine vm) {
        // ELF magic, ELFCLASS32 (01), little endian (01), and e_machine EM_386 (03 00) at offset 18.
        assertThat(vm.exec("od -An -tx1 -N4 /bin/busybox; od -An -tx1 -j4 -N2 /bin/busybox; od -An -tx1 -j18 -N2 /bin/busybox"))
                .succeeds()
                .stdout().isEqualTo(" 7f 45 4c 46\n 01 01\n 03 00\n");
    }

    @Test
    void it_runs_on_an_i686_kernel(V86Machine vm) {
        assertThat(vm.exec("uname -m")).succeeds().stdout().isEqualTo("i686\n");
        assertThat(vm.exec("busybox | head -1")).succeeds().stdout().startsWith("BusyBox v1.35");
    }

    @Test
    void a_hanging_command_times_out_and_the_machine_stays_usable(V86Machine vm) {
        assertThatThrownBy(() -> vm.exec("echo waiting; sleep 1000", Duration.ofSeconds(2)))
                .isInstanceOf(ExecTimeoutException.class)
                .hasMessageContaining("timed out after 2 s")
                .satisfies(e -> assertThat(((ExecTimeoutException) e).partialStdout()).isEqualTo("waiting\n"));
        assertThat(vm.exec("echo still here")).succeeds().stdout().isEqualTo("still here\n");
    }
}
