package dev.v86unit.internal.host;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into lines ending in {@code '\n'} without decoding them: the host's output events
 * carry most of a command's bytes as base64, and {@link NdjsonCodec#decode(byte[], int, int)} reads
 * those straight from the bytes (a {@code BufferedReader} made a String of each line first: a third
 * of the JVM's time per output event, measured).
 */
final class LineReader {

    private final InputStream in;
    private byte[] buffer = new byte[1 << 16];
    /** Bytes read and not yet returned: {@code buffer[start, end)}. */
    private int start;
    private int end;
    private int lineStart;

    LineReader(InputStream in) {
        this.in = in;
    }

    /**
     * @return the length of the next line, without its {@code '\n'} (its bytes are {@link #buffer()}
     *         from {@link #lineStart()}, valid until the next call); -1 at the end of the stream
     */
    int next() throws IOException {
        int scanned = start;
        while (true) {
            for (int i = scanned; i < end; i++) {
                if (buffer[i] == '\n') {
                    lineStart = start;
                    start = i + 1;
                    return i - lineStart;
                }
            }
            if (end == buffer.length) {
                if (start > 0) {
                    System.arraycopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                } else {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                }
            }
            scanned = end;
            int read = in.read(buffer, end, buffer.length - end);
            if (read < 0) {
                if (end == start) {
                    return -1;
                }
                lineStart = start;
                start = end;
                return end - lineStart;
            }
            end += read;
        }
    }

    byte[] buffer() {
        return buffer;
    }

    int lineStart() {
        return lineStart;
    }
}
