/**
 * Internal, not exported by the module, may change without notice: Everything typed on the guest's console: command lines, end markers, the sentinel scanner, output buffers.
 */
package dev.v86unit.internal.exec;
