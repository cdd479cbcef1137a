package dev.v86unit;

import java.util.List;

/**
 * The guest did not come up: the boot timed out, the kernel panicked, or the emulator stopped. The
 * message ends with the last lines the guest printed on its console, which usually say why.
 *
 * <pre>{@code
 * catch (MachineBootException e) { e.consoleTail().forEach(System.err::println); }
 * }</pre>
 */
public class MachineBootException extends V86Exception {

    private final List<String> consoleTail;

    public MachineBootException(String message, List<String> consoleTail) {
        super(message + describe(consoleTail));
        this.consoleTail = List.copyOf(consoleTail);
    }

    /** @return the last lines of the guest console before the failure, oldest first; never null */
    public List<String> consoleTail() {
        return consoleTail;
    }

    private static String describe(List<String> lines) {
        if (lines.isEmpty()) {
            return "\nThe guest printed nothing on its console.";
        }
        return "\nLast console lines:\n  " + String.join("\n  ", lines);
    }
}
