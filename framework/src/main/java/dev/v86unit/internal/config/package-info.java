/**
 * Internal, not exported by the module, may change without notice: Settings: system properties, environment variables, defaults.
 */
package dev.v86unit.internal.config;
