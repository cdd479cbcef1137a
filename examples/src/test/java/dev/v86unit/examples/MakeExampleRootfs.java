package dev.v86unit.examples;

import dev.v86unit.images.testing.DebianRootfsTarballs;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;

/**
 * Stands in for the file a user would download: writes {@code target/rootfs/busybox-musl-i386.tar.gz},
 * an i386 root filesystem made of busybox and musl from Debian's packages (Alpine's mirrors are not
 * reachable from every build machine; Alpine's x86 minirootfs has the same shape). Registered before
 * {@code @V86Vm}, so the file is there when the machine starts.
 */
public final class MakeExampleRootfs implements BeforeAllCallback {

    public static final Path ROOTFS = Path.of("target", "rootfs", "busybox-musl-i386.tar.gz");

    @Override
    public void beforeAll(ExtensionContext context) {
        // two small packages (busybox-static, musl), downloaded and verified once into target/
        DebianRootfsTarballs.busyboxMusl(ROOTFS.resolveSibling("debs"), ROOTFS);
    }
}
