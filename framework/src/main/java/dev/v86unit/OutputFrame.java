package dev.v86unit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A chunk of a guest command's output, as it arrived while the command ran: for an output consumer
 * ({@link ExecOptions#withOutputConsumer}). Chunks of one stream arrive in order; a chunk may end in
 * the middle of a line, or of a UTF-8 character.
 *
 * <pre>{@code
 * vm.exec("make check", ExecOptions.defaults()
 *         .withOutputConsumer(frame -> log.info("{}: {}", frame.type(), frame.utf8String().strip())));
 * }</pre>
 *
 * @param type  which stream, never null
 * @param bytes the bytes, never null (copied in and out)
 */
public record OutputFrame(Type type, byte[] bytes) {

    /** The stream a frame comes from. */
    public enum Type { STDOUT, STDERR }

    public OutputFrame {
        Objects.requireNonNull(type, "type");
        bytes = bytes.clone();
    }

    /** @return a copy of the bytes */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return the bytes decoded as UTF-8 (malformed bytes, such as half a character, become U+FFFD) */
    public String utf8String() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OutputFrame that && type == that.type && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "OutputFrame[" + type + ", " + bytes.length + " bytes]";
    }
}
