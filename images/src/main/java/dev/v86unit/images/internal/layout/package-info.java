/**
 * The names of the images directory that the framework's cache tools need ({@link
 * dev.v86unit.images.internal.layout.CacheLayout}); exported to {@code dev.v86unit} only.
 */
package dev.v86unit.images.internal.layout;
