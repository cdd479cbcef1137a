/**
 * Internal, not exported by the module, may change without notice: The Node host process (one per machine) and its typed NDJSON client.
 */
package dev.v86unit.internal.host;
