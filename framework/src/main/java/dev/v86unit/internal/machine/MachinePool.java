package dev.v86unit.internal.machine;

import dev.v86unit.MachineSpec;
import dev.v86unit.internal.config.Settings;
import dev.v86unit.internal.text.Excerpts;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Machines that a user closed, reset to their start state and kept for the next start of the same
 * spec and settings in this JVM: handing one on costs nothing, where a restore from a snapshot
 * costs a new Node process and a fraction of a second. Bounded in count
 * ({@code v86unit.pool.size}) and idle time ({@code v86unit.pool.idle}); closed at JVM exit. A
 * machine that failed, timed out, or cannot be reset is closed instead of kept.
 */
final class MachinePool {

    private static final Logger LOG = LoggerFactory.getLogger(dev.v86unit.V86Machine.class);
    static final MachinePool SHARED = new MachinePool();

    /** What makes two machines interchangeable: the spec, and the settings they were started with. */
    record Key(MachineSpec spec, Settings settings) {
    }

    private record Idle(Key key, DefaultV86Machine machine, long since) {
    }

    private final Deque<Idle> idle = new ArrayDeque<>();
    private ScheduledExecutorService reaper;

    private MachinePool() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::closeAll, "v86unit-pool-closer"));
    }

    /** @return a reset machine of this key, or null */
    synchronized DefaultV86Machine take(Key key) {
        for (Iterator<Idle> it = idle.descendingIterator(); it.hasNext(); ) {
            Idle candidate = it.next();
            if (candidate.key().equals(key)) {
                it.remove();
                return candidate.machine();
            }
        }
        return null;
    }

    /** Resets the machine and keeps it, or closes it if it cannot be handed on or the pool is off. */
    void giveBack(Key key, DefaultV86Machine machine) {
        int size = key.settings().poolSize();
        if (size <= 0 || !machine.reusable()) {
            machine.close();
            return;
        }
        long start = System.nanoTime();
        try {
            machine.prepareForReuse();
        } catch (RuntimeException e) {
            LOG.warn("{} could not be reset for reuse ({}); closing it", machine.name(), e.getMessage());
            machine.close();
            return;
        }
        LOG.debug("{} reset for reuse in {}", machine.name(), Excerpts.duration(Duration.ofNanos(System.nanoTime() - start)));
        List<DefaultV86Machine> evicted = new ArrayList<>();
        synchronized (this) {
            idle.addLast(new Idle(key, machine, System.nanoTime()));
            while (idle.size() > size) {
                evicted.add(idle.removeFirst().machine());
            }
            if (reaper == null) {
                reaper = Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "v86unit-pool-reaper");
                    thread.setDaemon(true);
                    return thread;
                });
                reaper.scheduleWithFixedDelay(this::closeExpired, 1, 1, TimeUnit.SECONDS);
            }
        }
        evicted.forEach(DefaultV86Machine::close);
    }

    private void closeExpired() {
        List<DefaultV86Machine> expired = new ArrayList<>();
        synchronized (this) {
            long now = System.nanoTime();
            for (Iterator<Idle> it = idle.iterator(); it.hasNext(); ) {
                Idle candidate = it.next();
                if (now - candidate.since() > candidate.key().settings().poolIdle().toNanos()) {
                    it.remove();
                    expired.add(candidate.machine());
                }
            }
        }
        expired.forEach(DefaultV86Machine::close);
    }

    /** Closes every idle machine (at JVM exit, and for tests). */
    void closeAll() {
        List<DefaultV86Machine> all;
        synchronized (this) {
            all = idle.stream().map(Idle::machine).toList();
            idle.clear();
        }
        all.forEach(DefaultV86Machine::close);
    }

    /** @return how many machines wait to be handed on */
    synchronized int idleCount() {
        return idle.size();
    }
}
