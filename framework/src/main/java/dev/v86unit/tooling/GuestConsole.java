package dev.v86unit.tooling;

import dev.v86unit.V86Exception;
import dev.v86unit.V86Machine;
import dev.v86unit.internal.machine.Consoles;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * An interactive shell on a machine's serial console, for a terminal ({@code v86unit-cli shell}).
 *
 * <pre>{@code
 * try (V86Machine vm = V86Machine.start(MachineSpec.of("busybox"))) {
 *     int status = GuestConsole.interactiveShell(vm, System.in, System.out);
 * }
 * }</pre>
 *
 * <p>The machine's control shell leaves its protocol mode and runs {@code sh -i} on the console, which is
 * that shell's controlling terminal with the usual settings ({@code stty sane}): the guest echoes and
 * edits lines itself, and ^C (byte 3) interrupts the foreground job, ^Z stops it, ^D at the prompt ends
 * the shell. So the caller passes keys through untouched: a terminal belongs in raw mode without echo
 * meanwhile. The machine cannot be handed on to another user afterwards; close it.
 */
public final class GuestConsole {

    private GuestConsole() {
    }

    /**
     * Runs the shell until it exits; blocks meanwhile. {@code keys} are typed as they come; when they end
     * (a pipe), ^D is typed, which ends the shell once it waits for its next line.
     *
     * @param vm     a machine from {@link V86Machine#start}
     * @param keys   what to type, byte for byte
     * @param screen gets the console's bytes from the shell's start until it ends, flushed as they come
     * @return the shell's exit status (that of {@code exit N}, else of its last command)
     * @throws IllegalArgumentException if {@code vm} was not started by {@link V86Machine#start}
     * @throws V86Exception             if the shell does not start, or the machine ends first
     */
    public static int interactiveShell(V86Machine vm, InputStream keys, OutputStream screen) {
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(screen, "screen");
        return Consoles.interactiveShell(vm, keys, screen);
    }
}
