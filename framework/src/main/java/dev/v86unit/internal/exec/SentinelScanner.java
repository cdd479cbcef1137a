package dev.v86unit.internal.exec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Reads the control console's byte stream, in chunks split anywhere, and finds the sentinel of the
 * command in flight. Work is done per line, on the newline, and only on the line's tail, so a busy
 * console costs O(bytes). Every line that is not the expected sentinel, including sentinels with a
 * wrong nonce, is console output and goes to the console sink.
 */
public final class SentinelScanner {

    /** A line longer than this is passed to the console in pieces; the sentinel is far shorter. */
    static final int MAX_LINE = 16 * 1024;
    private static final int SENTINEL_MAX = Sentinels.PREFIX.length() + Sentinels.NONCE_LENGTH + 1 + 3 + Sentinels.SUFFIX.length();

    private final Consumer<String> console;
    private byte[] line = new byte[256];
    private int length;
    private String nonce;
    private CompletableFuture<Integer> pending;

    /** @param console receives each console line that is not the expected sentinel, without its line end */
    public SentinelScanner(Consumer<String> console) {
        this.console = console;
    }

    /**
     * Starts waiting for the sentinel with this nonce; a previous wait is abandoned (its future is
     * left as it is, for its owner to time out or cancel).
     *
     * @return completes with the exit code in the sentinel
     */
    public synchronized CompletableFuture<Integer> expect(String nonce) {
        this.nonce = nonce;
        this.pending = new CompletableFuture<>();
        return pending;
    }

    /** Fails the wait in flight, if any (the host died, the kernel panicked). */
    public synchronized void fail(RuntimeException cause) {
        if (pending != null) {
            pending.completeExceptionally(cause);
            pending = null;
            nonce = null;
        }
    }

    /** Consumes the next chunk of console bytes. */
    public synchronized void feed(byte[] data) {
        for (byte b : data) {
            if (b == '\n') {
                endLine();
            } else {
                append(b);
            }
        }
    }

    private void append(byte b) {
        if (length == line.length) {
            if (length >= MAX_LINE) {
                // keep the tail, where a sentinel could still be starting
                int keep = SENTINEL_MAX;
                console.accept(decode(0, length - keep));
                System.arraycopy(line, length - keep, line, 0, keep);
                length = keep;
            } else {
                line = Arrays.copyOf(line, Math.min(line.length * 2, MAX_LINE));
            }
        }
        line[length++] = b;
    }

    private void endLine() {
        int end = length;
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        int sentinelStart = pending == null ? -1 : sentinelStart(end);
        if (sentinelStart >= 0) {
            int exitCode = Integer.parseInt(new String(line, sentinelStart + Sentinels.PREFIX.length() + nonce.length() + 1,
                    end - Sentinels.SUFFIX.length() - (sentinelStart + Sentinels.PREFIX.length() + nonce.length() + 1), StandardCharsets.US_ASCII));
            if (sentinelStart > 0) {
                console.accept(decode(0, sentinelStart));
            }
            CompletableFuture<Integer> done = pending;
            pending = null;
            nonce = null;
            length = 0;
            done.complete(exitCode);
            return;
        }
        console.accept(decode(0, end));
        length = 0;
    }

    /** @return where the expected sentinel starts if the line ends with it, else -1 */
    private int sentinelStart(int end) {
        byte[] expected = (Sentinels.PREFIX + nonce + "_").getBytes(StandardCharsets.US_ASCII);
        int suffix = Sentinels.SUFFIX.length();
        int digitsEnd = end - suffix;
        if (digitsEnd < 0 || line[digitsEnd] != '_' || line[digitsEnd + 1] != '_') {
            return -1;
        }
        int digitsStart = digitsEnd;
        while (digitsStart > 0 && digitsEnd - digitsStart < 3 && isDigit(line[digitsStart - 1])) {
            digitsStart--;
        }
        if (digitsStart == digitsEnd) {
            return -1;
        }
        int start = digitsStart - expected.length;
        if (start < 0) {
            return -1;
        }
        for (int i = 0; i < expected.length; i++) {
            if (line[start + i] != expected[i]) {
                return -1;
            }
        }
        return start;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private String decode(int from, int to) {
        return new String(line, from, to - from, StandardCharsets.UTF_8);
    }
}
