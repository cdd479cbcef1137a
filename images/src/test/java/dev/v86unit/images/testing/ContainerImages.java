package dev.v86unit.images.testing;

import dev.v86unit.images.internal.io.Sha256;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Container image archives for tests, from layer tars: {@code docker save}'s layout ({@code manifest.json},
 * {@code <id>/layer.tar}) and an OCI image layout ({@code index.json}, {@code blobs/sha256/...}).
 */
public final class ContainerImages {

    private ContainerImages() {
    }

    public static byte[] config(String os, String architecture) {
        return ("{\"architecture\":\"" + architecture + "\",\"os\":\"" + os + "\",\"rootfs\":{\"type\":\"layers\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** {@code docker save} output (the classic layout): layers as given, bottom first. */
    public static byte[] dockerSave(byte[] config, List<byte[]> layers) {
        TestTar tar = new TestTar();
        String configName = Sha256.hex(config) + ".json";
        tar.file(configName, 0644, config);
        List<String> names = new ArrayList<>();
        for (byte[] layer : layers) {
            String dir = Sha256.hex(layer);
            tar.dir(dir, 0755).file(dir + "/layer.tar", 0644, layer);
            names.add("\"" + dir + "/layer.tar\"");
        }
        tar.file("manifest.json", "[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"test:latest\"],\"Layers\":["
                + String.join(",", names) + "]}]");
        return tar.tar();
    }

    /** An OCI image layout in a tar; {@code index.json} names the manifest, with a platform if {@code platform}. */
    public static byte[] ociLayout(byte[] config, List<byte[]> layers, boolean platform) {
        return ociLayout(config, layers, platform ? "386" : null);
    }

    /** As above; {@code architecture} is the index's platform for the manifest, none if null. */
    public static byte[] ociLayout(byte[] config, List<byte[]> layers, String architecture) {
        TestTar tar = new TestTar();
        tar.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
        tar.dir("blobs", 0755).dir("blobs/sha256", 0755);
        // the layers first, as docker writes them: the reader must not depend on the order
        List<String> descriptors = new ArrayList<>();
        for (byte[] layer : layers) {
            tar.file("blobs/sha256/" + Sha256.hex(layer), 0644, layer);
            descriptors.add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer));
        }
        tar.file("blobs/sha256/" + Sha256.hex(config), 0644, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", config) + ",\"layers\":["
                + String.join(",", descriptors) + "]}").getBytes(StandardCharsets.UTF_8);
        tar.file("blobs/sha256/" + Sha256.hex(manifest), 0644, manifest);
        String manifestDescriptor = descriptor("application/vnd.oci.image.manifest.v1+json", manifest);
        if (architecture != null) {
            manifestDescriptor = manifestDescriptor.substring(0, manifestDescriptor.length() - 1)
                    + ",\"platform\":{\"architecture\":\"" + architecture + "\",\"os\":\"linux\"}}";
        }
        tar.file("index.json", "{\"schemaVersion\":2,\"manifests\":[" + manifestDescriptor + "]}");
        return tar.tar();
    }

    private static String descriptor(String mediaType, byte[] blob) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"sha256:" + Sha256.hex(blob) + "\",\"size\":"
                + blob.length + "}";
    }
}
