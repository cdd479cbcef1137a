package dev.v86unit.images.internal.rootfs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImportedRootfsTest {

    private static byte[] realGuestInit() throws IOException {
        try (InputStream in = ImportedRootfsTest.class.getResourceAsStream("/dev/v86unit/images/guest/v86unit-init")) {
            return in.readAllBytes();
        }
    }

    @Test
    void should_put_the_fallback_busybox_last_on_the_real_guest_inits_path_and_start_bin_sh() throws IOException {
        String original = new String(realGuestInit(), StandardCharsets.UTF_8);

        String imported = new String(ImportedRootfs.withFallbackPath(realGuestInit()), StandardCharsets.UTF_8);

        int export = imported.indexOf("\nexport PATH=");
        int fallback = imported.indexOf("\nPATH=$PATH:/usr/lib/v86unit/bin\n");
        assertThat(export).isPositive();
        assertThat(fallback).isGreaterThan(export);
        assertThat(imported.indexOf("\nif [ -z \"$V86UNIT_MOUNTED\" ]; then\n")).as("before the first command")
                .isGreaterThan(fallback);
        assertThat(imported).contains("setsid -c /bin/sh -i").doesNotContain("setsid -c sh -i");
        assertThat(imported.replace("setsid -c /bin/sh -i", "setsid -c sh -i").lines()
                .filter(l -> !l.startsWith("#") && !l.equals("PATH=$PATH:/usr/lib/v86unit/bin")))
                .containsExactlyElementsOf(original.lines().filter(l -> !l.startsWith("#")).toList());
    }

    @Test
    void should_refuse_an_init_it_cannot_extend() {
        assertThatThrownBy(() -> ImportedRootfs.withFallbackPath("#!/bin/sh\nexec sh\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exports no PATH");
    }
}
