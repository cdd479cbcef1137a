package dev.v86unit.internal.machine;

import dev.v86unit.V86Machine;
import java.util.List;
import java.util.Optional;

/** What a failure report shows of a machine: its name and image, its last commands, its last console lines. */
public final class MachineReports {

    private MachineReports() {
    }

    /** @return the report of a machine started by {@link Machines}; empty for any other implementation */
    public static Optional<String> of(V86Machine vm) {
        if (!(vm instanceof PooledMachine pooled)) {
            return Optional.empty();
        }
        DefaultV86Machine machine = pooled.machine();
        StringBuilder text = new StringBuilder();
        text.append("Machine ").append(machine.name()).append(" (image ").append(machine.image()).append(", ")
                .append(machine.imageId()).append(")\n");
        List<String> commands = pooled.history().entries();
        text.append("Commands it ran, oldest first").append(commands.isEmpty() ? ": none\n" : ":\n");
        commands.forEach(line -> text.append("  ").append(line).append('\n'));
        List<String> console = machine.consoleTail();
        text.append("Last console lines").append(console.isEmpty() ? ": none" : ":");
        console.forEach(line -> text.append("\n  ").append(line));
        return Optional.of(text.toString());
    }
}
