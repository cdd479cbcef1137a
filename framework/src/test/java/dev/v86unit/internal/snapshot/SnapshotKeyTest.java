package dev.v86unit.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotKeyTest {

    private static final SnapshotKey BASE = new SnapshotKey("sha256:aa", "0.5.462", "host1", 128, "console=ttyS0", 1, "files1", false);

    @Test
    void the_same_inputs_give_the_same_key() {
        assertThat(new SnapshotKey("sha256:aa", "0.5.462", "host1", 128, "console=ttyS0", 1, "files1", false).hash()).isEqualTo(BASE.hash());
        assertThat(BASE.hash()).matches("[0-9a-f]{64}");
    }

    @Test
    void a_change_in_any_input_gives_another_key() {
        List<SnapshotKey> variants = List.of(
                new SnapshotKey("sha256:bb", "0.5.462", "host1", 128, "console=ttyS0", 1, "files1", false),
                new SnapshotKey("sha256:aa", "0.5.463", "host1", 128, "console=ttyS0", 1, "files1", false),
                new SnapshotKey("sha256:aa", "0.5.462", "host2", 128, "console=ttyS0", 1, "files1", false),
                new SnapshotKey("sha256:aa", "0.5.462", "host1", 256, "console=ttyS0", 1, "files1", false),
                new SnapshotKey("sha256:aa", "0.5.462", "host1", 128, "console=ttyS0 quiet", 1, "files1", false),
                new SnapshotKey("sha256:aa", "0.5.462", "host1", 128, "console=ttyS0", 2, "files1", false),
                new SnapshotKey("sha256:aa", "0.5.462", "host1", 128, "console=ttyS0", 1, "files2", false),
                new SnapshotKey("sha256:aa", "0.5.462", "host1", 128, "console=ttyS0", 1, "files1", true));
        assertThat(variants).extracting(SnapshotKey::hash).doesNotContain(BASE.hash()).doesNotHaveDuplicates();
    }

    @Test
    void the_scripts_that_protocol_mode_runs_are_hashed_by_path_and_text() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("/.v86unit/protocol", "exec 1>&2\n");
        files.put("/.v86unit/forward.pl", "sysread($i, $b, 458752)");
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("/.v86unit/forward.pl", "sysread($i, $b, 458752)");
        reversed.put("/.v86unit/protocol", "exec 1>&2\n");
        assertThat(SnapshotKey.sha256Of(files)).matches("[0-9a-f]{64}").isEqualTo(SnapshotKey.sha256Of(reversed))
                .isNotEqualTo(SnapshotKey.sha256Of(Map.of("/.v86unit/protocol", "exec 1>&2\n", "/.v86unit/forward.pl", "sysread($i, $b, 65536)")))
                .isNotEqualTo(SnapshotKey.sha256Of(Map.of("/.v86unit/protocol", "exec 1>&2\n", "/.v86unit/forward.p", "lsysread($i, $b, 458752)")));
    }
}
