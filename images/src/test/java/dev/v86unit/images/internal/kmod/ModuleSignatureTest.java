package dev.v86unit.images.internal.kmod;

import dev.v86unit.images.testing.TinyElf;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModuleSignatureTest {

    private final byte[] module = TinyElf.module("virtio", "", "6.1.0-50-686");

    @Test
    void should_cut_signature_struct_and_magic() {
        byte[] signed = TinyElf.signed(module, 681);

        assertThat(ModuleSignature.isSigned(signed)).isTrue();
        assertThat(signed).hasSize(module.length + 681 + 12 + 28);
        assertThat(ModuleSignature.strip(signed)).isEqualTo(module);
    }

    @Test
    void should_leave_an_unsigned_module_alone() {
        assertThat(ModuleSignature.isSigned(module)).isFalse();
        assertThat(ModuleSignature.strip(module)).isSameAs(module);
    }

    @Test
    void should_reject_a_signature_length_larger_than_the_file() {
        byte[] signed = TinyElf.signed(module, 100);
        int lengthField = signed.length - 28 - 4;
        ByteBuffer.wrap(signed).putInt(lengthField, 1_000_000);

        assertThatThrownBy(() -> ModuleSignature.strip(signed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Module signature length 1000000 exceeds the file size " + signed.length);
    }

    @Test
    void should_read_the_length_as_big_endian() {
        byte[] signed = TinyElf.signed(module, 0x0102);

        assertThat(Arrays.copyOfRange(signed, signed.length - 32, signed.length - 28)).containsExactly(0, 0, 1, 2);
        assertThat(ModuleSignature.strip(signed)).hasSize(module.length);
    }
}
