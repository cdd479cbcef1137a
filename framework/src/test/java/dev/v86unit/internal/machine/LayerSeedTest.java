package dev.v86unit.internal.machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.v86unit.internal.io.Hashes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LayerSeedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void should_start_a_derived_image_from_the_configured_base_with_only_the_added_packages_left_to_configure() throws IOException {
        Path store = Files.createDirectories(dir.resolve("store"));
        String passwd = put(store, "root:x:0:0\n");
        String passwdConfigured = put(store, "root:x:0:0\nuuidd:x:100:101\n");
        String cache = put(store, "ld.so.cache");
        String firstBoot = put(store, "#!/bin/sh\ndpkg --configure -a\n");
        String tool = put(store, "ELF");
        String baseUnpacked = put(store, "Package: base\nStatus: install ok unpacked\nVersion: 1\n\n");
        String baseInstalled = put(store, "Package: base\nStatus: install ok installed\nVersion: 1\n\n");
        String derivedUnpacked = put(store, "Package: base\nStatus: install ok unpacked\nVersion: 1\n\n"
                + "Package: tool\nStatus: install ok unpacked\nVersion: 2\n\n");

        Path baseRaw = tree(dir.resolve("base.json"), Map.of("etc/passwd", passwd, "etc/v86unit/first-boot", firstBoot,
                "var/lib/dpkg/status", baseUnpacked));
        Path baseLayer = tree(dir.resolve("layer.json"), Map.of("etc/passwd", passwdConfigured, "etc/ld.so.cache", cache,
                "var/lib/dpkg/status", baseInstalled));
        Path derived = tree(dir.resolve("derived.json"), Map.of("etc/passwd", passwd, "etc/v86unit/first-boot", firstBoot,
                "var/lib/dpkg/status", derivedUnpacked, "usr/bin/tool", tool));
        Path seed = dir.resolve("seed.json");

        LayerSeed.write(baseRaw, baseLayer, derived, "etc/v86unit/first-boot", store, seed);

        Map<String, ArrayNode> merged = LayerSeed.flatten(JSON.readTree(seed.toFile()));
        assertThat(merged.get("etc/passwd").get(6).asText()).as("configured by the base's first boot").isEqualTo(passwdConfigured);
        assertThat(merged.get("etc/ld.so.cache").get(6).asText()).as("made by the base's first boot").isEqualTo(cache);
        assertThat(merged.get("etc/v86unit/first-boot").get(6).asText()).as("still to run").isEqualTo(firstBoot);
        assertThat(merged.get("usr/bin/tool").get(6).asText()).isEqualTo(tool);
        JsonNode status = merged.get("var/lib/dpkg/status");
        assertThat(Files.readString(store.resolve(status.get(6).asText()))).isEqualTo(
                "Package: base\nStatus: install ok installed\nVersion: 1\n\n"
                        + "Package: tool\nStatus: install ok unpacked\nVersion: 2\n\n");
        assertThat(status.get(1).asLong()).isEqualTo(Files.size(store.resolve(status.get(6).asText())));
    }

    @Test
    void should_match_packages_whatever_the_order_of_their_fields() {
        byte[] merged = LayerSeed.mergeStatus(
                "Package: a\nStatus: install ok installed\nArchitecture: i386\nVersion: 1\n",
                "Package: a\nStatus: install ok unpacked\nVersion: 1\nArchitecture: i386\n");

        assertThat(new String(merged, StandardCharsets.UTF_8)).contains("install ok installed");
    }

    @Test
    void should_keep_a_package_unpacked_when_the_base_has_another_version_of_it() {
        byte[] merged = LayerSeed.mergeStatus("Package: a\nStatus: install ok installed\nVersion: 1\n",
                "Package: a\nStatus: install ok unpacked\nVersion: 2\n");

        assertThat(new String(merged, StandardCharsets.UTF_8)).isEqualTo("Package: a\nStatus: install ok unpacked\nVersion: 2\n\n");
    }

    private static String put(Path store, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String sha = Hashes.sha256(bytes);
        Files.write(store.resolve(sha), bytes);
        return sha;
    }

    /** A fs.json with the given files (and their folders), each 0644 root-owned. */
    private Path tree(Path target, Map<String, String> files) throws IOException {
        Map<String, Object> root = new java.util.TreeMap<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            String[] parts = file.getKey().split("/");
            Map<String, Object> at = root;
            for (int i = 0; i < parts.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> next = (Map<String, Object>) at.computeIfAbsent(parts[i], k -> new java.util.TreeMap<String, Object>());
                at = next;
            }
            at.put(parts[parts.length - 1], file.getValue());
        }
        StringBuilder json = new StringBuilder("{\"fsroot\":");
        entries(root, json);
        json.append(",\"version\":3,\"size\":0}");
        Files.writeString(target, json);
        return target;
    }

    @SuppressWarnings("unchecked")
    private static void entries(Map<String, Object> dir, StringBuilder json) {
        json.append('[');
        boolean first = true;
        for (Map.Entry<String, Object> entry : dir.entrySet()) {
            json.append(first ? "" : ",");
            first = false;
            if (entry.getValue() instanceof Map<?, ?> children) {
                json.append("[\"").append(entry.getKey()).append("\",0,0,16877,0,0,");
                entries((Map<String, Object>) children, json);
                json.append(']');
            } else {
                json.append("[\"").append(entry.getKey()).append("\",0,0,33188,0,0,\"").append(entry.getValue()).append("\"]");
            }
        }
        json.append(']');
    }
}
