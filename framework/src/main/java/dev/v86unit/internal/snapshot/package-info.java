/**
 * Internal, not exported by the module, may change without notice: Snapshot keys and the on-disk snapshot store with its locks.
 */
package dev.v86unit.internal.snapshot;
