package dev.v86unit.examples;

import static dev.v86unit.assertj.V86Assertions.assertThat;

import dev.v86unit.V86Machine;
import dev.v86unit.junit.V86Vm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A program that needs an old library, on the release that has it: Debian 11 (bullseye) still ships
 * OpenSSL 1.1 ({@code libssl.so.1.1}), which Debian 12 replaced with OpenSSL 3. Same kernel, same
 * protocol, the userland of 2021. Tagged slow: debian:11's first boot (its maintainer scripts) takes
 * ~11 minutes on an empty cache here; run it with {@code -Dv86unit.examples.excludedGroups=}.
 */
@Tag("slow")
@V86Vm(image = "debian:11", packages = "openssl")
class OldOpenSslTest {

    @Test
    void theOpensslProgramIsLinkedAgainstLibssl11(V86Machine vm) {
        assertThat(vm.exec("ldd $(command -v openssl)"))
                .succeeds()
                .stdout().contains("libssl.so.1.1").contains("libcrypto.so.1.1");
    }

    @Test
    void itReportsOpenssl111(V86Machine vm) {
        assertThat(vm.exec("openssl version"))
                .succeeds()
                .stdout().startsWith("OpenSSL 1.1.1");
    }

    @Test
    void itHashesLikeAnyOpenssl(V86Machine vm) {
        assertThat(vm.exec("printf abc | openssl dgst -sha256 -r"))
                .succeeds()
                .stdout().startsWith("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    /**
     * {@code -S} and {@code _ssl}, the C module linked against libssl: the images have no precompiled
     * bytecode yet, so {@code site} and {@code ssl.py} with what it imports are compiled from source first.
     * Measured on a loaded 2-core machine: {@code python3 -c 'import ssl'} 58.7 s the first time (17.6 s
     * once their bytecode was written), {@code python3 -c pass} 39.8 s, {@code python3 -S -c pass} 6.1 s.
     */
    @Test
    void bullseyesPythonUsesTheSameOpenssl(V86Machine vm) {
        assertThat(vm.exec("python3 -S -c 'import _ssl, sys; print(sys.version.split()[0], _ssl.OPENSSL_VERSION)'"))
                .succeeds()
                .stdout().startsWith("3.9.").contains("OpenSSL 1.1.1");
    }
}
