package dev.v86unit;

import java.util.Objects;

/**
 * A saved state of one running machine, kept in memory by its Node host, to return to with
 * {@link V86Machine#restore(Checkpoint)}. Everything comes back: memory, processes, files in the
 * guest (the 9p share included). Valid for the machine that took it, until the machine is closed
 * or has to be restarted after its Node host died.
 *
 * <pre>{@code
 * @BeforeAll
 * static void install(V86Machine vm) {
 *     vm.exec("expensive setup ...");
 *     afterSetup = vm.checkpoint();
 * }
 * @BeforeEach
 * void pristine(V86Machine vm) { vm.restore(afterSetup); }
 * }</pre>
 *
 * <p>Only a machine makes checkpoints ({@link V86Machine#checkpoint()}): there is no public
 * constructor, so a checkpoint cannot be forged from a machine name and an id.
 */
public final class Checkpoint {

    private final String machine;
    private final String id;

    // Called by the machines (dev.v86unit.internal.machine.Checkpoints) through reflection, which the
    // module allows within itself, so that no public or package-level way to make one exists.
    private Checkpoint(String machine, String id) {
        this.machine = Objects.requireNonNull(machine, "machine");
        this.id = Objects.requireNonNull(id, "id");
    }

    /** @return the name of the machine that took it, e.g. {@code busybox#1} */
    public String machine() {
        return machine;
    }

    /** @return which saved state of that machine */
    public String id() {
        return id;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Checkpoint that && machine.equals(that.machine) && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return Objects.hash(machine, id);
    }

    @Override
    public String toString() {
        return "Checkpoint[machine=" + machine + ", id=" + id + "]";
    }
}
