package dev.v86unit.images.internal.kmod;

import dev.v86unit.images.testing.TinyElf;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModInfoTest {

    @Test
    void should_read_name_depends_and_vermagic_from_the_modinfo_section() {
        ModInfo info = ModInfo.parse(TinyElf.module("9pnet_virtio", "virtio,9pnet,virtio_ring", "6.1.0-50-686"));

        assertThat(info.name()).contains("9pnet_virtio");
        assertThat(info.depends()).containsExactly("virtio", "9pnet", "virtio_ring");
        assertThat(info.vermagic()).contains("6.1.0-50-686 SMP preempt mod_unload modversions 686 ");
        assertThat(info.first("license")).contains("GPL");
    }

    @Test
    void should_treat_an_empty_depends_as_no_dependencies() {
        assertThat(ModInfo.parse(TinyElf.module("virtio", "", "6.1.0-50-686")).depends()).isEmpty();
        assertThat(ModInfo.parse(TinyElf.module(List.of("name=x"))).depends()).isEmpty();
    }

    @Test
    void should_collect_repeated_keys() {
        ModInfo info = ModInfo.parse(TinyElf.module(List.of("alias=virtio:d00000009v*", "alias=fs-9p", "name=9p")));

        assertThat(info.fields().get("alias")).containsExactly("virtio:d00000009v*", "fs-9p");
    }

    @Test
    void should_still_read_a_signed_module() {
        byte[] signed = TinyElf.signed(TinyElf.module("netfs", "", "6.1.0-50-686"), 500);

        assertThat(ModInfo.parse(signed).name()).contains("netfs");
    }

    @Test
    void should_reject_what_is_not_a_32_bit_elf_with_modinfo() {
        assertThatThrownBy(() -> ModInfo.parse("#!/bin/sh\n".repeat(10).getBytes(StandardCharsets.US_ASCII)))
                .hasMessage("Not an ELF file");
        assertThatThrownBy(() -> ModInfo.parse(TinyElf.withElfClass((byte) 2)))
                .hasMessage("Not a 32-bit ELF file (EI_CLASS 2)");
        byte[] noModinfo = TinyElf.module(List.of("name=x"));
        int at = new String(noModinfo, StandardCharsets.ISO_8859_1).indexOf(".modinfo");
        noModinfo[at + 1] = 'x'; // rename the section to ".xodinfo"
        assertThatThrownBy(() -> ModInfo.parse(noModinfo)).hasMessage("No .modinfo section");
    }

    @Test
    void should_reject_a_truncated_file() {
        byte[] module = TinyElf.module("virtio", "", "6.1.0-50-686");

        assertThatThrownBy(() -> ModInfo.parse(Arrays.copyOf(module, module.length - 50)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Corrupt ELF section header table");
    }
}
