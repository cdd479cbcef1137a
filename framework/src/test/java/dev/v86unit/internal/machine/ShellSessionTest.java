package dev.v86unit.internal.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What an interactive shell's screen gets of the console, however the bytes are split. */
class ShellSessionTest {

    private static final String CONSOLE = "old protocol output\n__V86_ready0000000000_0__\r\n"
            + "busybox:~# uname\r\nLinux\r\nbusybox:~# exit 3\r\n\n__V86_end000000000000_3__\n";

    private static String screen(int chunk, ShellSession[] session) {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        session[0] = new ShellSession("ready0000000000", "end000000000000", screen);
        byte[] bytes = CONSOLE.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length; i += chunk) {
            session[0].feed(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk)));
        }
        return screen.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void shows_the_shell_only_and_ends_with_its_status_whatever_the_chunks() throws Exception {
        for (int chunk : new int[] {1, 2, 3, 7, 16, 1000}) {
            ShellSession[] session = new ShellSession[1];
            // line ends just before the marker are dropped if they come with it, shown if they come first
            assertThat(screen(chunk, session)).as("chunks of %d", chunk).matches("busybox:~# uname\r\nLinux\r\nbusybox:~# exit 3[\r\n]*");
            assertThat(session[0].started()).isDone();
            assertThat(session[0].ended().get()).isEqualTo(3);
        }
    }

    @Test
    void text_like_a_marker_of_another_nonce_is_shown() throws Exception {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        ShellSession session = new ShellSession("r", "e", screen);
        session.feed("__V86_r_0__\n__V86_x_1__ __V86_ex_2__ __V86_".getBytes(StandardCharsets.US_ASCII));
        assertThat(session.ended()).isNotDone();
        assertThat(screen.toString(StandardCharsets.US_ASCII)).as("a possible marker start is held back").isEqualTo("__V86_x_1__ __V86_ex_2__ ");
        session.feed("e_9__\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(screen.toString(StandardCharsets.US_ASCII)).isEqualTo("__V86_x_1__ __V86_ex_2__ ");
        assertThat(session.ended().get()).isEqualTo(9);
    }
}
