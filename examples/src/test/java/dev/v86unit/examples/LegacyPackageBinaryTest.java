package dev.v86unit.examples;

import static dev.v86unit.assertj.V86Assertions.assertThat;

import dev.v86unit.V86Machine;
import dev.v86unit.junit.V86Vm;
import org.junit.jupiter.api.Test;

/** A "legacy binary": an i386 program shipped in a Debian package (figlet), tested as a black box. */
@V86Vm(image = "debian", packages = "figlet", resetBetweenTests = true)
class LegacyPackageBinaryTest {

    @Test
    void theProgramIsA32BitX86Executable(V86Machine vm) {
        assertThat(vm.exec("file -L $(command -v figlet)"))
                .succeeds()
                .stdout().contains("ELF 32-bit LSB").contains("Intel 80386");
    }

    @Test
    void itRendersText(V86Machine vm) {
        assertThat(vm.exec("figlet -w 40 -f standard v86"))
                .succeeds()
                .stdout().isEqualTo(String.join("\n",
                        "       ___   __   ",
                        "__   _( _ ) / /_  ",
                        "\\ \\ / / _ \\| '_ \\ ",
                        " \\ V / (_) | (_) |",
                        "  \\_/ \\___/ \\___/ ",
                        "                  ",
                        ""));
    }

    @Test
    void aMissingFontIsAnErrorOnStderr(V86Machine vm) {
        assertThat(vm.exec("figlet -f no-such-font x"))
                .fails()
                .stderr().contains("no-such-font");
    }
}
