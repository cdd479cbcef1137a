package dev.v86unit.tooling;

import dev.v86unit.internal.exec.SentinelScanner;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Reads a guest's serial console, in chunks split anywhere, and completes a wait when the sentinel of
 * {@link GuestProtocol#printStatus(String)} arrives; every other line goes to the line consumer.
 *
 * <pre>{@code
 * ConsoleScanner scanner = new ConsoleScanner(line -> log.debug("console: {}", line));
 * CompletableFuture<Integer> status = scanner.expect(nonce);
 * serial.write(GuestProtocol.protocolMode() + GuestProtocol.printStatus(nonce) + "\n");
 * // a reader thread calls scanner.feed(bytes) with what the console prints
 * int exitCode = status.get(60, TimeUnit.SECONDS);
 * }</pre>
 */
public final class ConsoleScanner {

    private final SentinelScanner scanner;

    /** @param lines receives each console line that is not the awaited sentinel, without its line end; not null */
    public ConsoleScanner(Consumer<String> lines) {
        this.scanner = new SentinelScanner(java.util.Objects.requireNonNull(lines, "lines"));
    }

    /** @return completes with the exit code of the sentinel with this nonce (a previous wait is abandoned) */
    public CompletableFuture<Integer> expect(String nonce) {
        return scanner.expect(nonce);
    }

    /** Consumes the next chunk of console bytes. */
    public void feed(byte[] data) {
        scanner.feed(data);
    }
}
