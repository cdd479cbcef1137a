package dev.v86unit.internal.machine;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest's console lines: logged at DEBUG under {@code dev.v86unit.console}, the last ones kept
 * for error messages, and watched for the boot marker and kernel panics.
 */
final class ConsoleLog implements Consumer<String> {

    static final Logger LOG = LoggerFactory.getLogger("dev.v86unit.console");
    private static final int KEPT = 40;

    private final String machine;
    private final Deque<String> tail = new ArrayDeque<>();
    private final Consumer<String> watcher;

    /** @param watcher sees every line as well (on the host's reader thread; must not block) */
    ConsoleLog(String machine, Consumer<String> watcher) {
        this.machine = machine;
        this.watcher = watcher;
    }

    @Override
    public void accept(String line) {
        String printable = line.replace("\r", "");
        LOG.debug("[{}] {}", machine, printable);
        synchronized (tail) {
            tail.addLast(printable);
            if (tail.size() > KEPT) {
                tail.removeFirst();
            }
        }
        watcher.accept(printable);
    }

    /** @return the last console lines, oldest first */
    List<String> tail() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }
}
