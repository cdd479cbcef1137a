package dev.v86unit.tooling;

import dev.v86unit.internal.exec.CommandLine;
import dev.v86unit.internal.exec.Markers;
import dev.v86unit.internal.exec.Sentinels;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The guest side of v86unit's exec protocol as text: what the framework types on the guest's serial
 * console, so that another emulator (the benchmark's QEMU column) can run the very same command lines,
 * FIFOs and forwarders. The markers are read by {@link ConsoleScanner} (console sentinels) and at the
 * end of the forwarders' files on the share ({@link #endMarkerPrefix(String)}).
 *
 * <pre>{@code
 * String nonce = GuestProtocol.newNonce();
 * GuestProtocol.shareFiles().forEach((path, text) -> write(share.resolve(path), text));
 * serial.write(GuestProtocol.protocolMode() + "\n");
 * serial.write(GuestProtocol.commandLine("uname -a", nonce));
 * // stdout ends with GuestProtocol.endMarkerPrefix(nonce) + "042__" for exit code 42
 * }</pre>
 */
public final class GuestProtocol {

    private GuestProtocol() {
    }

    /**
     * @return the files that {@link #protocolMode()} runs from the share (the forwarders' script, ...), by
     *         their path relative to the share's root ({@code .v86unit/forwarders}), with their text; write
     *         them into the share before typing protocol mode
     */
    public static Map<String, String> shareFiles() {
        Map<String, String> files = new TreeMap<>();
        CommandLine.guestFiles().forEach((path, text) -> files.put(path.substring(1), text));
        return Collections.unmodifiableMap(files);
    }

    /** @return the statements that switch the control shell into protocol mode (no echo, no prompt), without a line end */
    public static String protocolMode() {
        return CommandLine.PROTOCOL_MODE;
    }

    /** @return a fresh random nonce for one command */
    public static String newNonce() {
        return Sentinels.newNonce();
    }

    /**
     * @return the console line (with its line end) that runs {@code command} with stdout and stderr into the
     *         share's forwarder files and ends both with the nonce's end marker; a command that cannot go
     *         inline (long, or not ASCII) is read from the share's script file instead, which the caller writes
     */
    public static String commandLine(String command, String nonce) {
        return CommandLine.line(CommandLine.inlinable(command) ? command : null, nonce, false);
    }

    /** @return the statement that prints the console sentinel of {@code nonce} with the last exit status */
    public static String printStatus(String nonce) {
        return Sentinels.printStatus(nonce);
    }

    /** @return the end marker of {@code nonce} up to its exit code: the marker is this, three digits and {@code __} */
    public static String endMarkerPrefix(String nonce) {
        String marker = Markers.end(nonce, 0);
        return marker.substring(0, marker.length() - 5);
    }
}
