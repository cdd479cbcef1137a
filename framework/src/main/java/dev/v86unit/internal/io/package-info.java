/**
 * Internal, not exported by the module, may change without notice: Hashing helpers.
 */
package dev.v86unit.internal.io;
