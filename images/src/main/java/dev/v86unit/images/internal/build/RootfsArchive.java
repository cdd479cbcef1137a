package dev.v86unit.images.internal.build;

import dev.v86unit.images.internal.oci.ArchiveSource;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The root filesystem of a {@link Recipe} when the user brings it as an archive: {@code rootfs:<source>}
 * (a tar of an i386 root filesystem, maybe compressed) or {@code oci:<source>} (a container image
 * archive). The archive's sha256 is part of the recipe's key, so the same bytes find the same build,
 * whatever the file is called.
 *
 * @param kind   how to read the archive
 * @param source where its bytes are
 * @param sha256    the sha256 hex of its bytes
 * @param guestInit the guest init to install as {@code /sbin/v86unit-init}
 */
public record RootfsArchive(Kind kind, ArchiveSource source, String sha256, byte[] guestInit) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** The two kinds, by their image name prefix. */
    public enum Kind {
        /** {@code rootfs:}: a tar, tar.gz, tar.xz or tar.zst of a root filesystem. */
        ROOTFS("rootfs"),
        /** {@code oci:}: {@code docker save} output or an OCI image layout, in a tar. */
        OCI("oci");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        /** {@code rootfs} or {@code oci}, the image name prefix without its ':'. */
        public String prefix() {
            return prefix;
        }
    }

    public RootfsArchive {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a sha256 hex: " + sha256);
        }
        guestInit = guestInit.clone();
    }

    @Override
    public byte[] guestInit() {
        return guestInit.clone();
    }

    /** The image name, e.g. {@code rootfs:file:build/alpine.tar.gz}. */
    public String imageName() {
        return kind.prefix() + ":" + source.description();
    }
}
