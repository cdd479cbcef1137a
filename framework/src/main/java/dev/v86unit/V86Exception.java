package dev.v86unit;

/**
 * Something in the machinery failed: the Node host, the emulator, the guest, the image or the
 * configuration. The message says what failed and, where it helps, what to do about it. A command
 * that merely exits non-zero is not an exception: see {@link ExecResult#exitCode()}.
 *
 * <pre>{@code
 * try (V86Machine vm = V86Machine.start("busybox")) { ... }
 * catch (V86Exception e) { log.error("no VM for this run: {}", e.getMessage()); }
 * }</pre>
 */
public class V86Exception extends RuntimeException {

    public V86Exception(String message) {
        super(message);
    }

    public V86Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
