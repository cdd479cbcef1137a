package dev.v86unit.internal.machine;

import dev.v86unit.ExecResult;
import dev.v86unit.internal.text.Excerpts;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The last commands one user of a machine ran, with how each ended, for the failure report of a test
 * (see {@link MachineReports}). Bounded: a long test keeps only its last {@value #KEPT} commands.
 */
final class CommandHistory {

    static final int KEPT = 20;
    private static final int COMMAND_CHARS = 200;

    private final Deque<String> entries = new ArrayDeque<>();
    private long dropped;

    void finished(ExecResult result) {
        add(describe(result.command()) + " -> exit " + result.exitCode() + " in " + Excerpts.duration(result.duration()));
    }

    void failed(String command, RuntimeException failure) {
        add(describe(command) + " -> " + failure.getClass().getSimpleName() + ": " + Excerpts.cut(firstLine(failure.getMessage()), 100));
    }

    void started(String command, String how) {
        add(describe(command) + " -> " + how);
    }

    /** @return the entries, oldest first, with a first line saying how many older ones were dropped */
    synchronized List<String> entries() {
        if (dropped == 0) {
            return List.copyOf(entries);
        }
        java.util.ArrayList<String> all = new java.util.ArrayList<>();
        all.add("(" + dropped + " earlier commands not kept)");
        all.addAll(entries);
        return all;
    }

    private synchronized void add(String entry) {
        entries.addLast(entry);
        if (entries.size() > KEPT) {
            entries.removeFirst();
            dropped++;
        }
    }

    private static String describe(String command) {
        if (command == null) {
            return "(no command)"; // rejected by the machine: the history must not hide that error behind its own
        }
        return Excerpts.quote(Excerpts.cut(command, COMMAND_CHARS / 2));
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    static String duration(Duration duration) {
        return Excerpts.duration(duration);
    }
}
