package dev.v86unit.internal.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GuestPathTest {

    @Test
    void absolute_plain_paths_are_accepted() {
        assertThat(FileTransfer.checkGuestPath("/opt/app")).isEqualTo("/opt/app");
        assertThat(FileTransfer.checkGuestPath("/opt/app/")).isEqualTo("/opt/app");
        assertThat(FileTransfer.checkGuestPath("/tmp/it's here")).isEqualTo("/tmp/it's here");
    }

    @Test
    void relative_escaping_and_control_characters_are_refused_with_the_path() {
        assertThatThrownBy(() -> FileTransfer.checkGuestPath("tmp/x")).hasMessage("Guest path must be absolute: 'tmp/x'");
        assertThatThrownBy(() -> FileTransfer.checkGuestPath("/tmp/../etc/passwd"))
                .hasMessage("Guest path must not contain '..' segments: '/tmp/../etc/passwd'");
        assertThatThrownBy(() -> FileTransfer.checkGuestPath("/tmp/a\nb")).hasMessageContaining("control characters");
        assertThatThrownBy(() -> FileTransfer.checkGuestPath(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
