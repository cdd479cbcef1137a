package dev.v86unit.tooling;

import dev.v86unit.V86Machine;
import dev.v86unit.internal.machine.MachineReports;
import java.util.Optional;

/**
 * What a failure report should show of a machine (used by {@code @V86Vm} when a test fails): its
 * name and image, the commands run through this handle with how each ended, and the guest console's
 * last lines.
 *
 * <pre>{@code
 * MachineReport.of(vm).ifPresent(report -> context.publishReportEntry("v86unit", report));
 * }</pre>
 */
public final class MachineReport {

    private MachineReport() {
    }

    /** @return the report, or empty if {@code vm} was not started by {@link V86Machine#start} (a test double) */
    public static Optional<String> of(V86Machine vm) {
        return vm == null ? Optional.empty() : MachineReports.of(vm);
    }
}
