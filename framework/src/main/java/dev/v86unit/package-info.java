/**
 * The API of v86unit's machines: {@link dev.v86unit.V86Machine} (start, exec, files, checkpoints, ports),
 * the immutable values {@link dev.v86unit.MachineSpec}, {@link dev.v86unit.ExecOptions},
 * {@link dev.v86unit.ExecResult} and {@link dev.v86unit.FileSource}, and the unchecked
 * {@link dev.v86unit.V86Exception} family.
 *
 * <pre>{@code
 * try (V86Machine vm = V86Machine.start(MachineSpec.of("busybox"))) {
 *     ExecResult result = vm.exec("uname -m");
 * }
 * }</pre>
 *
 * <p>The implementation lives in {@code dev.v86unit.internal} subpackages, which the module does not
 * export: {@code internal.host} (the Node host process and its typed client), {@code internal.exec}
 * (guest command lines, end markers, output buffers), {@code internal.machine} (machines, the pool,
 * file transfer, ports, failure reports), {@code internal.snapshot} (snapshot keys and store),
 * {@code internal.config} (settings), {@code internal.io} (hashes) and {@code internal.text} (message
 * excerpts).
 */
package dev.v86unit;
