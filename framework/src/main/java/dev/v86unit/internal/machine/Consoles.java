package dev.v86unit.internal.machine;

import dev.v86unit.V86Machine;
import java.io.InputStream;
import java.io.OutputStream;

/** Interactive shells on machines started by {@link Machines} (for the tooling hook). */
public final class Consoles {

    private Consoles() {
    }

    /** @see DefaultV86Machine#interactiveShell */
    public static int interactiveShell(V86Machine vm, InputStream keys, OutputStream screen) {
        if (!(vm instanceof PooledMachine pooled)) {
            throw new IllegalArgumentException("not a machine started by V86Machine.start: " + vm);
        }
        return pooled.machine().interactiveShell(keys, screen);
    }
}
