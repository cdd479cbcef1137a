/**
 * Internal, not exported by the module, may change without notice: Short, printable excerpts of commands and output for messages.
 */
package dev.v86unit.internal.text;
