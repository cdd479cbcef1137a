/**
 * The hook for v86unit's own tools (the {@code v86unit-cli} command line and the benchmark harness):
 * the configured cache ({@link dev.v86unit.tooling.Cache}: its images, their use, pruning under the cache
 * lock), an interactive shell on a machine's console ({@link dev.v86unit.tooling.GuestConsole}), the
 * failure report of a machine ({@link dev.v86unit.tooling.MachineReport}) and the guest side of
 * the exec protocol as text ({@link dev.v86unit.tooling.GuestProtocol}, to run it under another
 * emulator). Exported so that those tools need nothing from {@code dev.v86unit.internal}; tests have
 * no use for it. It follows the framework's version, but may change in any release.
 *
 * <pre>{@code
 * Cache cache = Cache.configured();
 * for (CachedImage image : cache.images()) {
 *     System.out.println(image.label() + " " + image.id() + " " + image.sizeBytes());
 * }
 * PruneReport freed = cache.prune(PruneOptions.defaults().withDryRun(true));
 * }</pre>
 */
package dev.v86unit.tooling;
