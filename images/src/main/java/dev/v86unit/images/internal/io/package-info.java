/** Small file helpers shared by the image builder: sha256, crash-safe writes, human-readable sizes. */
package dev.v86unit.images.internal.io;
