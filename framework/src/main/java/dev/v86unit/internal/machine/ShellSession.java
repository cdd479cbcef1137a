package dev.v86unit.internal.machine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The screen side of an interactive shell on the guest console: drops what the console prints before the
 * shell's start marker, passes everything after it to the screen as it comes, and ends at the end marker
 * (which carries the shell's exit status) without showing it. Bytes that might be the start of the end
 * marker are held back until it is clear they are not. Fed on the host's reader thread.
 */
final class ShellSession {

    private final byte[] readyMarker;
    private final byte[] endMarker;
    private final OutputStream screen;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Integer> ended = new CompletableFuture<>();
    /** Bytes not yet passed on: before the start, a tail that may hold the start marker; after it, a possible end marker. */
    private byte[] pending = new byte[0];

    /**
     * @param readyNonce the nonce of the sentinel printed right before the shell starts
     * @param endNonce   the nonce of the sentinel printed with the shell's exit status when it ends
     */
    ShellSession(String readyNonce, String endNonce, OutputStream screen) {
        this.readyMarker = ("__V86_" + readyNonce + "_").getBytes(StandardCharsets.US_ASCII);
        this.endMarker = ("__V86_" + endNonce + "_").getBytes(StandardCharsets.US_ASCII);
        this.screen = screen;
    }

    CompletableFuture<Void> started() {
        return started;
    }

    /** Completes with the shell's exit status. */
    CompletableFuture<Integer> ended() {
        return ended;
    }

    synchronized void feed(byte[] data) {
        if (ended.isDone()) {
            return;
        }
        byte[] buffer = concat(pending, data);
        int from = 0;
        if (!started.isDone()) {
            int at = indexOf(buffer, readyMarker, 0);
            int lineEnd = at < 0 ? -1 : indexOf(buffer, new byte[] {'\n'}, at);
            if (at < 0) {
                // the control shell's last words: keep only what may be the marker's start
                pending = Arrays.copyOfRange(buffer, Math.max(0, buffer.length - readyMarker.length), buffer.length);
                return;
            }
            if (lineEnd < 0) {
                pending = Arrays.copyOfRange(buffer, at, buffer.length); // the marker line, unfinished
                return;
            }
            started.complete(null);
            from = lineEnd + 1;
        }
        int at = indexOf(buffer, endMarker, from);
        if (at >= 0) {
            int close = indexOf(buffer, "__".getBytes(StandardCharsets.US_ASCII), at + endMarker.length);
            if (close < 0) {
                pending = Arrays.copyOfRange(buffer, from, buffer.length);
                return;
            }
            int shown = at;
            // the marker line starts with a line end of its own: the shell's last line stays as it was
            while (shown > from && (buffer[shown - 1] == '\n' || buffer[shown - 1] == '\r')) {
                shown--;
            }
            write(buffer, from, shown);
            pending = new byte[0];
            String digits = new String(buffer, at + endMarker.length, close - at - endMarker.length, StandardCharsets.US_ASCII);
            try {
                ended.complete(Integer.parseInt(digits));
            } catch (NumberFormatException e) {
                ended.complete(255);
            }
            return;
        }
        int keep = partialMatch(buffer, from, endMarker);
        write(buffer, from, buffer.length - keep);
        pending = Arrays.copyOfRange(buffer, buffer.length - keep, buffer.length);
    }

    /** The guest or its host ended first. */
    void fail(RuntimeException cause) {
        started.completeExceptionally(cause);
        ended.completeExceptionally(cause);
    }

    private void write(byte[] buffer, int from, int to) {
        if (to <= from) {
            return;
        }
        try {
            screen.write(buffer, from, to - from);
            screen.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return how many bytes at the end of {@code buffer} (from {@code from}) are a proper start of {@code marker} */
    static int partialMatch(byte[] buffer, int from, byte[] marker) {
        int most = Math.min(marker.length - 1, buffer.length - from);
        for (int length = most; length > 0; length--) {
            if (Arrays.equals(buffer, buffer.length - length, buffer.length, marker, 0, length)) {
                return length;
            }
        }
        return 0;
    }

    static int indexOf(byte[] buffer, byte[] needle, int from) {
        outer:
        for (int i = Math.max(from, 0); i <= buffer.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buffer[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
