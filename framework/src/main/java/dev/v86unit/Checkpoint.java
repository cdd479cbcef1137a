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
 * @param machine the name of the machine that took it, e.g. {@code busybox#1}
 * @param id      which saved state of that machine
 */
public record Checkpoint(String machine, String id) {

    public Checkpoint {
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(id, "id");
    }
}
