/**
 * Internal, not exported by the module, may change without notice: the cache as a whole: its
 * shared/exclusive lock ({@link dev.v86unit.internal.cache.CacheLock}), the record and lock of each
 * image's use ({@link dev.v86unit.internal.cache.ImageUse}), listing it and pruning it.
 */
package dev.v86unit.internal.cache;
