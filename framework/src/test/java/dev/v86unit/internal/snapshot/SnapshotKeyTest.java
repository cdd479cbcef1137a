package dev.v86unit.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotKeyTest {

    private static final SnapshotKey BASE = new SnapshotKey("sha256:aa", "0.5.462", "host1", 128, "console=ttyS0", 1, false);

    @Test
    void the_same_inputs_give_the_same_key() {
        assertThat(new SnapshotKey("sha256:aa", "0.5.462", "host1", 128, "console=ttyS0", 1, false).hash()).isEqualTo(BASE.hash());
        assertThat(BASE.hash()).matches("[0-9a-f]{64}");
    }

    @Test
    void a_change_in_any_input_gives_another_key() {
        List<SnapshotKey> variants = List.of(
                new SnapshotKey("sha256:bb", "0.5.462", "host1", 128, "console=ttyS0", 1, false),
                new SnapshotKey("sha256:aa", "0.5.463", "host1", 128, "console=ttyS0", 1, false),
                new SnapshotKey("sha256:aa", "0.5.462", "host2", 128, "console=ttyS0", 1, false),
                new SnapshotKey("sha256:aa", "0.5.462", "host1", 256, "console=ttyS0", 1, false),
                new SnapshotKey("sha256:aa", "0.5.462", "host1", 128, "console=ttyS0 quiet", 1, false),
                new SnapshotKey("sha256:aa", "0.5.462", "host1", 128, "console=ttyS0", 2, false),
                new SnapshotKey("sha256:aa", "0.5.462", "host1", 128, "console=ttyS0", 1, true));
        assertThat(variants).extracting(SnapshotKey::hash).doesNotContain(BASE.hash()).doesNotHaveDuplicates();
    }
}
