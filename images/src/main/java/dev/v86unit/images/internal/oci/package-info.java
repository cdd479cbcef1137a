/**
 * Archives a user brings as an image: where they are ({@link dev.v86unit.images.internal.oci.ArchiveSources}),
 * their compression ({@link dev.v86unit.images.internal.oci.Compression}) and container image archives,
 * {@code docker save} output and OCI image layouts ({@link dev.v86unit.images.internal.oci.ContainerArchive}).
 */
package dev.v86unit.images.internal.oci;
