package dev.v86unit.internal.exec;

/**
 * The markers that end a command's output in its stdout and stderr streams (and, after an
 * interrupted command, start the next one's), as the Node host's {@code streams.mjs} scans for them:
 * {@code __V86_<nonce>_E<exit code, 3 digits>__} and {@code __V86_<nonce>_S000__}. The nonce is fresh
 * and random per command, so no output can end a command early.
 */
public final class Markers {

    private Markers() {
    }

    /** @return the end marker with an exit code */
    public static String end(String nonce, int exitCode) {
        return String.format(java.util.Locale.ROOT, "%s%s_E%03d%s", Sentinels.PREFIX, nonce, exitCode, Sentinels.SUFFIX);
    }

    /** @return the start marker */
    public static String start(String nonce) {
        return Sentinels.PREFIX + nonce + "_S000" + Sentinels.SUFFIX;
    }
}
