package dev.v86unit.internal.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    private static List<String> lines(InputStream in) throws IOException {
        LineReader reader = new LineReader(in);
        List<String> lines = new ArrayList<>();
        int length;
        while ((length = reader.next()) >= 0) {
            lines.add(new String(reader.buffer(), reader.lineStart(), length, StandardCharsets.UTF_8));
        }
        return lines;
    }

    @Test
    void splits_lines_of_any_length_read_in_pieces_of_any_size() throws IOException {
        String big = "b".repeat(300_000);
        String text = "a\n\n" + big + "\nü\n" + "c".repeat(65_535) + "\nlast without newline";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        // a stream that hands out 1 to 7,000 bytes per read, as a pipe does
        InputStream trickle = new ByteArrayInputStream(bytes) {
            private int call;

            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + (call++ * 997) % 7_000));
            }
        };
        assertThat(lines(trickle)).containsExactly("a", "", big, "ü", "c".repeat(65_535), "last without newline");
    }

    @Test
    void ends_at_the_end_of_the_stream() throws IOException {
        assertThat(lines(new ByteArrayInputStream(new byte[0]))).isEmpty();
        assertThat(lines(new ByteArrayInputStream("x\n".getBytes(StandardCharsets.UTF_8)))).containsExactly("x");
    }
}
