package dev.v86unit.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v86unit.V86Exception;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class HostRuntimeTest {

    @Test
    void a_missing_node_is_reported_with_the_settings_that_point_to_it() {
        assertThatThrownBy(() -> HostRuntime.checkNode("/nonexistent/node"))
                .isInstanceOf(V86Exception.class)
                .hasMessageContaining("Node.js not found: cannot run '/nonexistent/node'")
                .hasMessageContaining("v86unit.node")
                .hasMessageContaining("V86UNIT_NODE")
                .hasMessageContaining(">= 20");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void a_node_older_than_20_is_rejected(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("node");
        Files.writeString(fake, "#!/bin/sh\necho v18.19.0\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> HostRuntime.checkNode(fake.toString()))
                .isInstanceOf(V86Exception.class)
                .hasMessageContaining("is v18.19.0, too old")
                .hasMessageContaining("v86unit.node");
    }

    @Test
    void the_node_on_the_path_is_accepted() {
        HostRuntime.checkNode("node");
    }

    @Test
    void unpacks_the_host_once_and_repairs_a_damaged_copy(@TempDir Path cache) throws Exception {
        HostRuntime first = HostRuntime.unpack("node", cache);
        assertThat(first.hostScript()).isRegularFile();
        assertThat(first.hostScript().resolveSibling("v86.wasm")).isRegularFile();
        assertThat(first.v86Version()).isEqualTo("0.5.462");

        Files.writeString(first.hostScript().resolveSibling("libv86.mjs"), "damaged");
        HostRuntime second = HostRuntime.unpack("node", cache);
        assertThat(second.hostScript()).isEqualTo(first.hostScript());
        assertThat(Files.size(second.hostScript().resolveSibling("libv86.mjs"))).isGreaterThan(100_000);
    }
}
