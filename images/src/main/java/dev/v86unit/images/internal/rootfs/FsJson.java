package dev.v86unit.images.internal.rootfs;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a tree in the format of v86's lazy 9p root ({@code filesystem.basefs}, read by
 * {@code FS.prototype.load_from_json}): {@code {"version":3,"size":<bytes of all files>,"fsroot":[...]}},
 * each entry {@code [name, size, mtime, mode, uid, gid, X]} where mode is the whole {@code st_mode} and X is
 * a directory's entries, a file's content name in {@code baseurl} (its sha256) or a symlink's target.
 * v86 fetches a file's content only when the guest first reads it, so a large root costs memory only for
 * what a test touches. Entries are sorted by name and there is no whitespace: the same tree gives the
 * same bytes.
 */
public final class FsJson {

    public static final int VERSION = 3;
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    static final int S_IFLNK = 0120000;

    private static final JsonFactory JSON = new JsonFactory();

    /** What was written: the JSON and the numbers for the manifest. */
    public record Result(byte[] json, long files, long bytes) {
    }

    /**
     * One entry read back, with its full path.
     *
     * @param data a file's content name (sha256), a symlink's target; null for a directory
     */
    public record Entry(String path, long size, long mtime, int mode, long uid, long gid, String data) {

        public boolean isFile() {
            return (mode & S_IFMT) == S_IFREG;
        }

        public boolean isDirectory() {
            return (mode & S_IFMT) == S_IFDIR;
        }

        public boolean isSymlink() {
            return (mode & S_IFMT) == S_IFLNK;
        }
    }

    static final int S_IFMT = 0170000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FsJson() {
    }

    /**
     * Reads an {@code fs.json} back, depth first in file order.
     *
     * @throws IllegalArgumentException if it is not version 3 of the format
     */
    public static List<Entry> read(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || root.path("version").asInt() != VERSION || !root.path("fsroot").isArray()) {
            throw new IllegalArgumentException("not a version " + VERSION + " fs.json (no \"version\": " + VERSION
                    + " and \"fsroot\" array)");
        }
        List<Entry> entries = new ArrayList<>();
        read(root.get("fsroot"), "", entries);
        return entries;
    }

    private static void read(JsonNode array, String prefix, List<Entry> entries) {
        for (JsonNode node : array) {
            if (!node.isArray() || node.size() != 7) {
                throw new IllegalArgumentException("entry of " + (prefix.isEmpty() ? "/" : prefix)
                        + " is not [name, size, mtime, mode, uid, gid, data]: " + node);
            }
            String path = prefix + node.get(0).asText();
            int mode = node.get(3).asInt();
            JsonNode data = node.get(6);
            Entry entry = new Entry(path, node.get(1).asLong(), node.get(2).asLong(), mode, node.get(4).asLong(),
                    node.get(5).asLong(), data.isArray() ? null : data.asText());
            entries.add(entry);
            if (entry.isDirectory()) {
                read(data, path + "/", entries);
            }
        }
    }

    public static Result write(FsTree tree) {
        long[] totals = new long[2];
        tree.walk((path, node) -> {
            if (node instanceof FsTree.File file) {
                totals[0]++;
                totals[1] += file.size();
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeNumberField("version", VERSION);
            json.writeNumberField("size", totals[1]);
            json.writeFieldName("fsroot");
            children(json, tree.root());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(out.toByteArray(), totals[0], totals[1]);
    }

    private static void children(JsonGenerator json, FsTree.Dir dir) throws IOException {
        json.writeStartArray();
        for (Map.Entry<String, FsTree.Node> child : dir.children().entrySet()) {
            entry(json, child.getKey(), child.getValue());
        }
        json.writeEndArray();
    }

    private static void entry(JsonGenerator json, String name, FsTree.Node node) throws IOException {
        json.writeStartArray();
        json.writeString(name);
        if (node instanceof FsTree.Dir dir) {
            header(json, 0, dir, S_IFDIR | dir.mode());
            children(json, dir);
        } else if (node instanceof FsTree.File file) {
            header(json, file.size(), file, S_IFREG | file.mode());
            json.writeString(file.sha256());
        } else if (node instanceof FsTree.Symlink link) {
            header(json, link.target().getBytes(StandardCharsets.UTF_8).length, link,
                    S_IFLNK | 0777);
            json.writeString(link.target());
        }
        json.writeEndArray();
    }

    private static void header(JsonGenerator json, long size, FsTree.Node node, int mode) throws IOException {
        json.writeNumber(size);
        json.writeNumber(node.mtime());
        json.writeNumber(mode);
        json.writeNumber(node.uid());
        json.writeNumber(node.gid());
    }
}
