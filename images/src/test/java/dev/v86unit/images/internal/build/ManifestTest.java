package dev.v86unit.images.internal.build;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestTest {

    private static final List<Manifest.Output> OUTPUTS = List.of(
            new Manifest.Output("vmlinuz", "a".repeat(64), 5706240),
            new Manifest.Output("bios.bin", "b".repeat(64), 131072));

    private static Manifest manifest() {
        return manifest(null);
    }

    private static Manifest manifest(Manifest.Rootfs rootfs) {
        return new Manifest("busybox", 1, "c".repeat(64), "bookworm", "Sat, 11 Jul 2026 10:16:37 UTC",
                "http://deb.debian.org/debian", "6.1.0-50-686",
                List.of(new Manifest.Input("seabios", "1.16.2-1", "pool/main/s/seabios/seabios_1.16.2-1_all.deb",
                        "d".repeat(64), 162656)),
                OUTPUTS, List.of("virtio.ko"), "console=ttyS0", 128,
                Manifest.computeId(OUTPUTS, "console=ttyS0", 128), rootfs);
    }

    @Test
    void should_survive_a_round_trip_through_json() {
        assertThat(Manifest.fromJson(manifest().toJson())).isEqualTo(manifest());
        assertThat(new String(manifest().toJson(), StandardCharsets.UTF_8)).doesNotContain("rootfs");
    }

    @Test
    void should_record_the_root_filesystems_packages_sorted_with_its_size() {
        Manifest.Rootfs rootfs = new Manifest.Rootfs(List.of(
                new Manifest.Input("zlib1g", "1:1.2.13.dfsg-1", "pool/main/z/zlib/z.deb", "e".repeat(64), 82644),
                new Manifest.Input("bash", "5.2.15-2+b13", "pool/main/b/bash/b.deb", "f".repeat(64), 1525372)),
                2337, 95_000_000L, List.of("update-ca-certificates --fresh >/dev/null"));

        Manifest read = Manifest.fromJson(manifest(rootfs).toJson());

        assertThat(read).isEqualTo(manifest(rootfs));
        assertThat(read.rootfs().packages()).extracting(Manifest.Input::packageName).containsExactly("bash", "zlib1g");
        assertThat(read.rootfs().files()).isEqualTo(2337);
        assertThat(read.rootfs().bytes()).isEqualTo(95_000_000L);
    }

    @Test
    void should_write_sorted_keys_and_unix_line_ends() {
        String json = new String(manifest().toJson(), StandardCharsets.UTF_8);

        assertThat(json).doesNotContain("\r").endsWith("}\n").contains("\"package\" : \"seabios\"");
        assertThat(json.indexOf("\"cmdline\"")).isLessThan(json.indexOf("\"id\""));
        assertThat(json.indexOf("\"id\"")).isLessThan(json.indexOf("\"inputs\""));
        assertThat(json.indexOf("\"filename\"")).isLessThan(json.indexOf("\"package\""));
    }

    @Test
    void should_compute_the_id_from_outputs_cmdline_and_memory_only() {
        String id = Manifest.computeId(OUTPUTS, "console=ttyS0", 128);

        assertThat(id).matches("sha256:[0-9a-f]{64}")
                .isEqualTo(Manifest.computeId(List.of(OUTPUTS.get(1), OUTPUTS.get(0)), "console=ttyS0", 128))
                .isNotEqualTo(Manifest.computeId(OUTPUTS, "console=ttyS1", 128))
                .isNotEqualTo(Manifest.computeId(OUTPUTS, "console=ttyS0", 256))
                .isNotEqualTo(Manifest.computeId(List.of(OUTPUTS.get(0)), "console=ttyS0", 128));
    }

    @Test
    void should_leave_the_unpacked_kernel_out_of_the_id_as_it_follows_from_the_bzimage() {
        List<Manifest.Output> withElf = new java.util.ArrayList<>(OUTPUTS);
        withElf.add(new Manifest.Output("vmlinux", "ab".repeat(32), 15_000_000));

        assertThat(Manifest.computeId(withElf, "console=ttyS0", 128))
                .isEqualTo(Manifest.computeId(OUTPUTS, "console=ttyS0", 128));
    }

    @Test
    void should_name_what_is_missing_from_a_broken_manifest() {
        String json = new String(manifest().toJson(), StandardCharsets.UTF_8).replace("\"kernelVersion\"", "\"kv\"");

        assertThatThrownBy(() -> Manifest.fromJson(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("manifest.json: 'kernelVersion' is missing or not a string");
        assertThatThrownBy(() -> Manifest.fromJson("{\"truncated\": ".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("manifest.json is not valid JSON");
    }
}
