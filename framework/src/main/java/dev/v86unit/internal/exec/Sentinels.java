package dev.v86unit.internal.exec;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The sentinel that ends every command on the control console: {@code __V86_<nonce>_<exit code>__}
 * on a line of its own (or at the end of the line a command left unfinished). The nonce is fresh
 * and random per command, so nothing a command prints can end it early.
 */
public final class Sentinels {

    static final String PREFIX = "__V86_";
    static final String SUFFIX = "__";
    static final int NONCE_LENGTH = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Sentinels() {
    }

    /** @return a fresh nonce: 16 random lowercase hex digits */
    public static String newNonce() {
        byte[] bytes = new byte[NONCE_LENGTH / 2];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** @return the shell statement that prints the sentinel with the exit status of the previous command */
    public static String printStatus(String nonce) {
        return "printf '" + PREFIX + nonce + "_%d" + SUFFIX + "\\n' $?";
    }

    /** @return the sentinel line the guest prints for {@code exitCode}, without the newline */
    public static String line(String nonce, int exitCode) {
        return PREFIX + nonce + "_" + exitCode + SUFFIX;
    }
}
