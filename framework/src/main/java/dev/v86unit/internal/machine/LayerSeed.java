package dev.v86unit.internal.machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.v86unit.internal.io.Hashes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The starting tree of a derived image's first boot (a base image plus packages): the base image's
 * configured layer, with what the derived image has that the unconfigured base has not (the added
 * packages' files, their dpkg records) on top, and dpkg's status merged (base packages installed as
 * configured, added ones unpacked). Its first boot then configures only the added packages instead of
 * all of them again (the base's Python byte compilation alone takes minutes in the emulator).
 *
 * <p>Works on v86's fs.json trees (version 3): entries {@code [name, size, mtime, mode, uid, gid, data]}.
 */
final class LayerSeed {

    static final String STATUS = "var/lib/dpkg/status";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LayerSeed() {
    }

    /**
     * @param baseRaw    the base image's own tree (before its first boot)
     * @param baseLayer  the base image's configured layer
     * @param derived    the derived image's own tree
     * @param firstBoot  the first-boot script's path (relative), always taken from the derived tree
     * @param store      the content store (the merged status file goes there)
     * @param target     where to write the seed
     */
    static void write(Path baseRaw, Path baseLayer, Path derived, String firstBoot, Path store, Path target) {
        try {
            Map<String, ArrayNode> raw = flatten(JSON.readTree(baseRaw.toFile()));
            Map<String, ArrayNode> configured = flatten(JSON.readTree(baseLayer.toFile()));
            Map<String, ArrayNode> mine = flatten(JSON.readTree(derived.toFile()));
            Map<String, ArrayNode> merged = new TreeMap<>();
            for (Map.Entry<String, ArrayNode> entry : mine.entrySet()) {
                String path = entry.getKey();
                ArrayNode before = raw.get(path);
                if (before != null && same(before, entry.getValue()) && !path.equals(firstBoot)) {
                    ArrayNode after = configured.get(path);
                    if (after != null) {
                        merged.put(path, after);
                    } else if (isDir(entry.getValue())) {
                        merged.put(path, entry.getValue()); // it may hold what the derived image adds
                    }
                } else {
                    merged.put(path, entry.getValue());
                }
            }
            for (Map.Entry<String, ArrayNode> entry : configured.entrySet()) {
                if (!raw.containsKey(entry.getKey()) && !mine.containsKey(entry.getKey())) {
                    merged.put(entry.getKey(), entry.getValue()); // made by the base's first boot
                }
            }
            ArrayNode derivedStatus = mine.get(STATUS);
            ArrayNode baseStatus = configured.get(STATUS);
            if (derivedStatus != null && baseStatus != null) {
                byte[] status = mergeStatus(read(store, baseStatus), read(store, derivedStatus));
                String sha = Hashes.sha256(status);
                put(store, sha, status);
                ArrayNode entry = derivedStatus.deepCopy();
                entry.set(1, status.length);
                entry.set(6, sha);
                merged.put(STATUS, entry);
            }
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            long[] size = {0};
            root.set("fsroot", nest(merged, size));
            root.put("version", 3);
            root.put("size", size[0]);
            Path temp = target.resolveSibling(target.getFileName() + ".tmp");
            JSON.writeValue(temp.toFile(), root);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the first-boot tree " + target, e);
        }
    }

    /**
     * dpkg's status of the derived image: each package as the base's configured status has it when the
     * base has the same version, else as the derived image has it (unpacked).
     */
    static byte[] mergeStatus(String base, String derived) {
        Map<String, String> configured = new HashMap<>();
        for (String stanza : stanzas(base)) {
            configured.put(key(stanza), stanza);
        }
        StringBuilder out = new StringBuilder();
        for (String stanza : stanzas(derived)) {
            String done = configured.get(key(stanza));
            out.append(done != null ? done : stanza).append("\n\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> stanzas(String status) {
        List<String> stanzas = new ArrayList<>();
        for (String stanza : status.split("\n\n+")) {
            if (!stanza.isBlank()) {
                stanzas.add(stanza.strip());
            }
        }
        return stanzas;
    }

    /**
     * Package, architecture and version: a configured stanza stands in only for the very same package.
     * (dpkg writes the fields in its own order, not in the control file's.)
     */
    private static String key(String stanza) {
        String[] fields = new String[3];
        for (String line : stanza.split("\n")) {
            int at = line.startsWith("Package:") ? 0 : line.startsWith("Architecture:") ? 1 : line.startsWith("Version:") ? 2 : -1;
            if (at >= 0) {
                fields[at] = line.substring(line.indexOf(':') + 1).strip();
            }
        }
        return String.join("|", java.util.Arrays.asList(fields));
    }

    private static boolean isDir(ArrayNode entry) {
        return (entry.get(3).asInt() & 0170000) == 0040000;
    }

    private static boolean same(ArrayNode a, ArrayNode b) {
        for (int i : new int[] {3, 4, 5}) {
            if (a.get(i).asLong() != b.get(i).asLong()) {
                return false;
            }
        }
        boolean dir = (a.get(3).asInt() & 0170000) == 0040000;
        return dir || a.get(6).equals(b.get(6));
    }

    /** path -> entry (a folder's entry without its children), parents before children. */
    static Map<String, ArrayNode> flatten(JsonNode fs) {
        Map<String, ArrayNode> flat = new LinkedHashMap<>();
        flatten(fs.path("fsroot"), "", flat);
        return flat;
    }

    private static void flatten(JsonNode entries, String prefix, Map<String, ArrayNode> flat) {
        for (JsonNode node : entries) {
            ArrayNode entry = ((ArrayNode) node).deepCopy();
            String path = prefix + entry.get(0).asText();
            boolean dir = (entry.get(3).asInt() & 0170000) == 0040000;
            if (dir) {
                JsonNode children = entry.get(6);
                entry.set(6, JsonNodeFactory.instance.arrayNode());
                flat.put(path, entry);
                flatten(children, path + "/", flat);
            } else {
                flat.put(path, entry);
            }
        }
    }

    /** Builds the nested tree back; an entry whose folder is gone is dropped. */
    private static ArrayNode nest(Map<String, ArrayNode> flat, long[] size) {
        ArrayNode root = JsonNodeFactory.instance.arrayNode();
        Map<String, ArrayNode> dirs = new HashMap<>();
        dirs.put("", root);
        for (Map.Entry<String, ArrayNode> entry : flat.entrySet()) { // sorted: parents first
            String path = entry.getKey();
            int slash = path.lastIndexOf('/');
            ArrayNode parent = dirs.get(slash < 0 ? "" : path.substring(0, slash));
            if (parent == null) {
                continue;
            }
            ArrayNode node = entry.getValue().deepCopy();
            if ((node.get(3).asInt() & 0170000) == 0040000) {
                node.set(6, JsonNodeFactory.instance.arrayNode());
                dirs.put(path, (ArrayNode) node.get(6));
            } else if ((node.get(3).asInt() & 0170000) == 0100000) {
                size[0] += node.get(1).asLong();
            }
            parent.add(node);
        }
        return root;
    }

    private static String read(Path store, ArrayNode file) throws IOException {
        return Files.readString(store.resolve(file.get(6).asText()), StandardCharsets.UTF_8);
    }

    private static void put(Path store, String sha, byte[] content) throws IOException {
        Path target = store.resolve(sha);
        if (Files.isRegularFile(target) && Files.size(target) == content.length) {
            return;
        }
        Path temp = store.resolve(".v86unit-" + sha + "-" + ProcessHandle.current().pid() + ".tmp");
        Files.write(temp, content);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
