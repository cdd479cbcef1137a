package dev.v86unit.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The controlling terminal in raw mode without echo, for an interactive guest shell: every key, ^C and ^D
 * included, goes to the guest, which echoes and edits itself. {@code stty} on {@code /dev/tty}; restored
 * by {@link #close()} and, should the JVM end otherwise, by a shutdown hook.
 */
final class Terminal implements AutoCloseable {

    private static final File TTY = new File("/dev/tty");

    private final String saved;
    private final Thread restoreAtExit;
    private boolean restored;

    private Terminal(String saved) {
        this.saved = saved;
        this.restoreAtExit = new Thread(this::restore, "v86unit-terminal-restore");
        Runtime.getRuntime().addShutdownHook(restoreAtExit);
    }

    /** @return the terminal, now raw, if stdin and stdout are one; null otherwise (a pipe: bytes pass as they are anyway) */
    static Terminal rawIfInteractive() {
        if (System.console() == null || !TTY.exists()) {
            return null;
        }
        try {
            String saved = stty("-g").trim();
            stty("raw", "-echo");
            return new Terminal(saved);
        } catch (IOException e) {
            return null; // no stty: the guest still works, with the host's line editing in front of it
        }
    }

    private static String stty(String... arguments) throws IOException {
        String[] command = new String[arguments.length + 1];
        command[0] = "stty";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process process = new ProcessBuilder(command).redirectInput(TTY).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("stty " + String.join(" ", arguments) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return output;
    }

    private synchronized void restore() {
        if (!restored) {
            restored = true;
            try {
                stty(saved);
            } catch (IOException e) {
                System.err.println("v86unit: could not restore the terminal settings; run 'stty sane'");
            }
        }
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(restoreAtExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs (and finds it restored)
        }
    }
}
