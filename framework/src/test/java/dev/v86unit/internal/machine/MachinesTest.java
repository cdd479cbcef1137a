package dev.v86unit.internal.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v86unit.MachineSpec;
import dev.v86unit.V86Exception;
import dev.v86unit.V86Machine;
import dev.v86unit.images.ImageBuildException;
import dev.v86unit.internal.config.Settings;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/** What V86Machine.start throws before any machine boots. */
@ResourceLock("java.lang.System.properties")
class MachinesTest {

    @Test
    void an_image_that_cannot_be_built_is_a_V86Exception_with_the_builders_message_and_cause(@TempDir Path cache) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String oldCache = System.getProperty(Settings.CACHE_DIR);
        String oldMirror = System.getProperty(Settings.DEBIAN_MIRROR);
        System.setProperty(Settings.CACHE_DIR, cache.toString());
        // nothing listens there: the build's first download fails at once
        System.setProperty(Settings.DEBIAN_MIRROR, "http://127.0.0.1:" + closedPort + "/debian");
        try {
            assertThatThrownBy(() -> V86Machine.start(MachineSpec.of("busybox")))
                    .isExactlyInstanceOf(V86Exception.class)
                    .hasMessageStartingWith("Cannot build image 'busybox': Cannot download http://127.0.0.1:" + closedPort + "/debian/")
                    .hasCauseInstanceOf(ImageBuildException.class)
                    .satisfies(e -> assertThat(e.getMessage()).endsWith(e.getCause().getMessage()));
        } finally {
            restore(Settings.CACHE_DIR, oldCache);
            restore(Settings.DEBIAN_MIRROR, oldMirror);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
