/**
 * The image builder: recipes ({@link dev.v86unit.images.internal.build.Recipe},
 * {@link dev.v86unit.images.internal.build.BuiltInRecipes}), the image build
 * ({@link dev.v86unit.images.internal.build.ImageBuilder}), the manifest that records inputs and
 * outputs ({@link dev.v86unit.images.internal.build.Manifest}) and the cache of built images with its
 * cross-process lock ({@link dev.v86unit.images.internal.build.ImageCache}).
 */
package dev.v86unit.images.internal.build;
