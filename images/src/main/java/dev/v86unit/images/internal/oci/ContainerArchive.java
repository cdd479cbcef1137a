package dev.v86unit.images.internal.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.internal.rootfs.ContentStore;
import dev.v86unit.images.internal.rootfs.LayerEntry;
import dev.v86unit.images.internal.rootfs.TarLayer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import dev.v86unit.images.internal.io.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container image archive: {@code docker save} output (its {@code manifest.json}, older and newer
 * layouts) or an OCI image layout in a tar ({@code index.json}, {@code blobs/sha256/...}; a
 * multi-platform index is searched for linux/386). Reads the image's config and checks the platform,
 * then its layers (tar, gzip or zstd), in the order the manifest gives; blobs named by their sha256 are
 * checked against it.
 *
 * <p>Two passes over the outer tar: the first keeps only the small JSON documents, the second reads the
 * layers it names, each straight into the {@link ContentStore}, so memory holds file metadata only.
 */
public final class ContainerArchive {

    static final String PLATFORM = "linux/386";
    /** JSON documents (manifests, configs, indexes) are small; layers are not kept in memory. */
    private static final long MAX_DOCUMENT = 4L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArchiveSource source;
    private final String what;

    /** @param what the image name, for messages, e.g. {@code oci:file:build/app-i386.tar} */
    public ContainerArchive(ArchiveSource source, String what) {
        this.source = source;
        this.what = what;
    }

    /**
     * @return the layers' entries, bottom layer first
     * @throws ImageBuildException naming the input if it is not a container image archive, or not one for
     *                             linux/386
     */
    public List<List<LayerEntry>> layers(ContentStore store) {
        Map<String, byte[]> documents = documents();
        List<String> layerPaths = layerPaths(documents);
        Map<String, List<LayerEntry>> read = new HashMap<>();
        try (InputStream raw = Compression.open(source.open()); TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = clean(entry.getName());
                if (entry.isFile() && layerPaths.contains(name) && !read.containsKey(name)) {
                    DigestInputStream digest = new DigestInputStream(new NonClosing(tar), Sha256.newDigest());
                    read.put(name, TarLayer.read(Compression.open(digest), what + " (layer " + name + ")", store));
                    digest.transferTo(OutputStream.nullOutputStream());
                    checkDigest(name, Sha256.hex(digest.getMessageDigest()));
                }
            }
        } catch (IOException e) {
            throw new ImageBuildException(what + ": cannot read the archive: " + e.getMessage(), e);
        }
        List<List<LayerEntry>> layers = new ArrayList<>();
        for (String path : layerPaths) {
            List<LayerEntry> layer = read.get(path);
            if (layer == null) {
                throw new ImageBuildException(what + ": the manifest names layer " + path + ", which is not in the archive");
            }
            layers.add(layer);
        }
        return layers;
    }

    /** First pass: every small regular file, by path. */
    private Map<String, byte[]> documents() {
        Map<String, byte[]> documents = new LinkedHashMap<>();
        try (InputStream raw = Compression.open(source.open()); TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            TarArchiveEntry entry;
            try {
                entry = tar.getNextEntry();
            } catch (IOException | IllegalArgumentException e) {
                throw new ImageBuildException(what + " is not a container image archive (not a tar: " + e.getMessage()
                        + "); expected `docker save` output or an OCI image layout in a tar", e);
            }
            for (; entry != null; entry = tar.getNextEntry()) {
                if (entry.isFile() && entry.getSize() <= MAX_DOCUMENT) {
                    documents.put(clean(entry.getName()), tar.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new ImageBuildException(what + ": cannot read the archive: " + e.getMessage(), e);
        }
        return documents;
    }

    /** The layer files in order, after checking the platform. */
    private List<String> layerPaths(Map<String, byte[]> documents) {
        if (documents.containsKey("index.json")) {
            JsonNode manifest = imageManifest(json(documents, "index.json"), documents, "index.json");
            String config = blob(manifest.path("config").path("digest").asText(""));
            checkPlatform(json(documents, config), config);
            List<String> layers = new ArrayList<>();
            for (JsonNode layer : manifest.path("layers")) {
                layers.add(blob(layer.path("digest").asText("")));
            }
            return layers;
        }
        if (documents.containsKey("manifest.json")) {
            JsonNode manifests = json(documents, "manifest.json");
            if (!manifests.isArray() || manifests.isEmpty()) {
                throw new ImageBuildException(what + ": manifest.json lists no image");
            }
            if (manifests.size() > 1) {
                throw new ImageBuildException(what + " holds " + manifests.size() + " images; save just one"
                        + " (docker save <image>:<tag> -o file.tar)");
            }
            JsonNode image = manifests.get(0);
            String config = clean(image.path("Config").asText(""));
            checkPlatform(json(documents, config), config);
            List<String> layers = new ArrayList<>();
            for (JsonNode layer : image.path("Layers")) {
                layers.add(clean(layer.asText()));
            }
            return layers;
        }
        throw new ImageBuildException(what + " is not a container image archive: it has neither index.json (OCI image"
                + " layout) nor manifest.json (docker save); found " + documents.keySet().stream().limit(10).toList());
    }

    /** Follows an OCI index (possibly nested) to the one image manifest for linux/386. */
    private JsonNode imageManifest(JsonNode index, Map<String, byte[]> documents, String from) {
        JsonNode descriptors = index.path("manifests");
        if (!descriptors.isArray() || descriptors.isEmpty()) {
            throw new ImageBuildException(what + ": " + from + " lists no manifest");
        }
        List<String> platforms = new ArrayList<>();
        JsonNode chosen = null;
        for (JsonNode descriptor : descriptors) {
            JsonNode platform = descriptor.path("platform");
            if (platform.isMissingNode()) {
                if (descriptors.size() == 1) {
                    chosen = descriptor;
                }
                continue;
            }
            String label = platform.path("os").asText("?") + "/" + platform.path("architecture").asText("?");
            platforms.add(label);
            if (label.equals(PLATFORM) && chosen == null) {
                chosen = descriptor;
            }
        }
        if (chosen == null) {
            throw new ImageBuildException(what + " has no image for " + PLATFORM + " (v86 emulates an i386 PC); it has "
                    + platforms + ". Pull and save the 386 one: docker pull --platform linux/386 <image>");
        }
        String path = blob(chosen.path("digest").asText(""));
        JsonNode target = json(documents, path);
        if (target.has("manifests")) {
            return imageManifest(target, documents, path);
        }
        return target;
    }

    private void checkPlatform(JsonNode config, String path) {
        String platform = config.path("os").asText("?") + "/" + config.path("architecture").asText("?");
        if (!platform.equals(PLATFORM)) {
            throw new ImageBuildException(what + " is an image for " + platform + " (" + path + "), but v86 emulates an"
                    + " i386 PC: it needs " + PLATFORM + ". With Docker: docker pull --platform linux/386 <image>"
                    + " (or an i386/... image), then docker save");
        }
    }

    private JsonNode json(Map<String, byte[]> documents, String path) {
        byte[] bytes = documents.get(path);
        if (bytes == null) {
            throw new ImageBuildException(what + ": " + path + " is missing from the archive");
        }
        checkDigest(path, Sha256.hex(bytes));
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ImageBuildException(what + ": " + path + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** A blob ({@code blobs/sha256/<hex>}) is named by its sha256: a damaged or altered one is refused. */
    private void checkDigest(String path, String actual) {
        if (path.startsWith("blobs/sha256/") && !path.equals("blobs/sha256/" + actual)) {
            throw new ImageBuildException(what + ": " + path + " has sha256 " + actual + "; the archive is damaged or"
                    + " was altered");
        }
    }

    private String blob(String digest) {
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new ImageBuildException(what + ": '" + digest + "' is not a sha256 digest");
        }
        return "blobs/sha256/" + digest.substring("sha256:".length());
    }

    private static String clean(String name) {
        String path = name;
        while (path.startsWith("./")) {
            path = path.substring(2);
        }
        return path;
    }

    /** Lets a layer's reader close its decompressor without closing the outer tar. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
