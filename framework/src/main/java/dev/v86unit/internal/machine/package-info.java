/**
 * Internal, not exported by the module, may change without notice: Machines: start, restore, exec, files, ports, background jobs, the pool of machines handed on.
 */
package dev.v86unit.internal.machine;
