/**
 * Builds and caches bootable i386 guest images for v86unit; see {@link dev.v86unit.images.ImageStore}.
 * Only {@code dev.v86unit.images} is API; everything under {@code dev.v86unit.images.internal} may change
 * without notice.
 */
module dev.v86unit.images {
    requires java.net.http;
    requires org.apache.commons.compress;
    requires org.tukaani.xz;
    requires aircompressor;
    requires org.bouncycastle.pg;
    requires org.bouncycastle.provider;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires org.apache.commons.io;

    exports dev.v86unit.images;
    // the cache layout for the framework's cache tools (v86unit-cli's images and prune); not API
    exports dev.v86unit.images.internal.layout to dev.v86unit;
}
