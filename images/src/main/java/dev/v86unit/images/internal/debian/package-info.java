/**
 * A minimal, verifying client for a Debian archive: the OpenPGP-signed {@code InRelease} is the root of
 * trust ({@link dev.v86unit.images.internal.debian.InReleaseVerifier}), it lists the sha256 of the
 * {@code Packages} indexes ({@link dev.v86unit.images.internal.debian.ReleaseFile}), which list the
 * sha256 of every {@code .deb} ({@link dev.v86unit.images.internal.debian.PackagesIndex}); every download
 * is checked against the level above ({@link dev.v86unit.images.internal.debian.VerifiedDownloader}),
 * so a plain-HTTP mirror cannot feed us anything else.
 */
package dev.v86unit.images.internal.debian;
