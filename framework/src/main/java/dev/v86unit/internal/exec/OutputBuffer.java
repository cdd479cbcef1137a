package dev.v86unit.internal.exec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One stream of a command's output, kept up to a limit: past it the rest is counted, not kept, and
 * {@link #take()} ends the stream with a line that says how much was dropped. Grows by doubling, so
 * the JVM holds the output once (plus, while it grows, the array it grows from).
 */
public final class OutputBuffer {

    private final long limit;
    private byte[] data = new byte[0];
    private int length;
    private long dropped;

    /** @param limit how many bytes to keep at most */
    public OutputBuffer(long limit) {
        this.limit = Math.min(limit, Integer.MAX_VALUE - 64);
    }

    /** @return true if this chunk was the first to go past the limit */
    public synchronized boolean append(byte[] chunk) {
        boolean wasCut = dropped > 0;
        int kept = (int) Math.min(chunk.length, limit - length);
        if (kept > 0) {
            if (length + kept > data.length) {
                long grown = Math.max((long) data.length * 2, Math.max(length + kept, 4096));
                data = Arrays.copyOf(data, (int) Math.min(grown, limit));
            }
            System.arraycopy(chunk, 0, data, length, kept);
            length += kept;
        }
        dropped += chunk.length - Math.max(kept, 0);
        return !wasCut && dropped > 0;
    }

    /** @return how many bytes were dropped past the limit */
    public synchronized long dropped() {
        return dropped;
    }

    /** @return a copy of what was kept so far (for output of a command that is still running) */
    public synchronized byte[] snapshot() {
        return Arrays.copyOf(data, length);
    }

    /** @return what was kept so far, decoded as UTF-8 */
    public synchronized String text() {
        return new String(data, 0, length, StandardCharsets.UTF_8);
    }

    /**
     * @return the whole stream, with the cut line if the limit was reached; the buffer gives up its
     *         array (no copy when it is exactly full) and must not be used afterwards
     */
    public synchronized byte[] take() {
        byte[] result;
        if (dropped > 0) {
            byte[] note = cutNote(length, dropped).getBytes(StandardCharsets.UTF_8);
            result = Arrays.copyOf(data, length + note.length);
            System.arraycopy(note, 0, result, length, note.length);
        } else {
            result = data.length == length ? data : Arrays.copyOf(data, length);
        }
        data = new byte[0];
        length = 0;
        return result;
    }

    /** @return the line that ends a stream that was cut */
    static String cutNote(long kept, long dropped) {
        return "\n[v86unit: output cut after " + kept + " bytes; " + dropped + " more bytes were dropped]\n";
    }
}
