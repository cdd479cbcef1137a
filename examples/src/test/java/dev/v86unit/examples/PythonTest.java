package dev.v86unit.examples;

import static dev.v86unit.assertj.V86Assertions.assertThat;

import dev.v86unit.V86Machine;
import dev.v86unit.junit.V86Vm;
import org.junit.jupiter.api.Test;

/** Debian bookworm i386 with python3 and the usual userland: no Docker, no root, no apt on the host. */
@V86Vm(image = "debian")
class PythonTest {

    @Test
    void python(V86Machine vm) {
        assertThat(vm.exec("python3 -V")).succeeds().stdout().startsWith("Python 3.11");
    }

    @Test
    void runsAPythonProgram(V86Machine vm) {
        assertThat(vm.exec("python3 -c 'import json, platform; print(json.dumps({\"bits\": platform.architecture()[0]}))'"))
                .succeeds()
                .stdout().isEqualTo("{\"bits\": \"32bit\"}\n");
    }

    @Test
    void hasTheUsualUserland(V86Machine vm) {
        assertThat(vm.exec("bash -c 'echo ${BASH_VERSINFO[0]}'")).succeeds().stdout().isEqualTo("5\n");
        assertThat(vm.exec("printf 'b\\na\\n' | sort | sed 's/a/A/' | grep -c A")).succeeds().stdout().isEqualTo("1\n");
        assertThat(vm.exec("awk 'BEGIN { print 6 * 7 }'")).succeeds().stdout().isEqualTo("42\n");
        assertThat(vm.exec("find /etc -maxdepth 1 -name passwd")).succeeds().stdout().isEqualTo("/etc/passwd\n");
        assertThat(vm.exec("ps -o comm= -p $$")).succeeds();
        assertThat(vm.exec("id -un")).succeeds().stdout().isEqualTo("root\n");
    }

    @Test
    void hasAContentAddressedImageId(V86Machine vm) {
        org.assertj.core.api.Assertions.assertThat(vm.imageId()).matches("sha256:[0-9a-f]{64}");
    }
}
