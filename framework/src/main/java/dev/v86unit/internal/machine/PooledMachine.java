package dev.v86unit.internal.machine;

import dev.v86unit.Checkpoint;
import dev.v86unit.ExecOptions;
import dev.v86unit.ExecResult;
import dev.v86unit.FileSource;
import dev.v86unit.GuestProcess;
import dev.v86unit.V86Machine;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code V86Machine.start} hands out: a machine for one user. {@link #close()} gives the machine
 * back to the {@link MachinePool}, which resets it and hands it to the next start of the same spec
 * (or closes it); this handle is closed for good either way.
 */
final class PooledMachine implements V86Machine {

    private final DefaultV86Machine machine;
    private final MachinePool pool;
    private final MachinePool.Key key;
    private final CommandHistory history = new CommandHistory();
    private volatile boolean closed;

    PooledMachine(DefaultV86Machine machine, MachinePool pool, MachinePool.Key key) {
        this.machine = machine;
        this.pool = pool;
        this.key = key;
    }

    /** @return the machine behind this handle (for the framework's own tests) */
    DefaultV86Machine machine() {
        return open();
    }

    private DefaultV86Machine open() {
        if (closed) {
            throw new IllegalStateException(machine.name() + " is closed (this handle; the machine may serve another start)");
        }
        return machine;
    }

    @Override
    public ExecResult exec(String command, ExecOptions options) {
        try {
            ExecResult result = open().exec(command, options);
            history.finished(result);
            return result;
        } catch (RuntimeException e) {
            history.failed(command, e);
            throw e;
        }
    }

    @Override
    public GuestProcess execInBackground(String command, ExecOptions options) {
        try {
            GuestProcess process = open().execInBackground(command, options);
            history.started(command, "started in the background");
            return process;
        } catch (RuntimeException e) {
            history.failed(command, e);
            throw e;
        }
    }

    @Override
    public ExecResult waitUntilSucceeds(String command, Duration timeout) {
        try {
            ExecResult result = open().waitUntilSucceeds(command, timeout);
            history.started(command, "succeeded within " + CommandHistory.duration(timeout) + " (waitUntilSucceeds)");
            return result;
        } catch (RuntimeException e) {
            history.failed(command, e);
            throw e;
        }
    }

    /** @return the commands run through this handle (this user of the machine only) */
    CommandHistory history() {
        return history;
    }

    @Override
    public Checkpoint checkpoint() {
        return open().checkpoint();
    }

    @Override
    public void restore(Checkpoint checkpoint) {
        open().restore(checkpoint);
    }

    @Override
    public void reset() {
        open().reset();
    }

    @Override
    public void copyTo(FileSource source, String guestPath) {
        open().copyTo(source, guestPath);
    }

    @Override
    public byte[] readFile(String guestPath) {
        return open().readFile(guestPath);
    }

    @Override
    public void copyFrom(String guestPath, Path host) {
        open().copyFrom(guestPath, host);
    }

    @Override
    public int hostPort(int guestPort) {
        return open().hostPort(guestPort);
    }

    @Override
    public int exposePort(int guestPort) {
        return open().exposePort(guestPort);
    }

    @Override
    public void exposeHostPort(int hostPort) {
        open().exposeHostPort(hostPort);
    }

    @Override
    public void waitForPort(int guestPort, Duration timeout) {
        open().waitForPort(guestPort, timeout);
    }

    @Override
    public void waitForHttp(int guestPort, String path, Duration timeout) {
        open().waitForHttp(guestPort, path, timeout);
    }

    @Override
    public String image() {
        return machine.image();
    }

    @Override
    public String imageId() {
        return machine.imageId();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        pool.giveBack(key, machine);
    }

    @Override
    public String toString() {
        return closed ? "V86Machine[" + machine.name() + ", closed]" : machine.toString();
    }
}
