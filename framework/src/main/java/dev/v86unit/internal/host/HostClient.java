package dev.v86unit.internal.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.v86unit.images.Image;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The operations of the Node host ({@code host.mjs}), one method each: the only place that knows
 * their op names and JSON fields. Blocking methods wait up to their timeout; the {@code CompletableFuture}
 * ones send at once (requests are handled in order, so they may be pipelined).
 */
public final class HostClient implements AutoCloseable {

    private static final Duration CALL = Duration.ofMinutes(2);
    private static final Duration FILE_CALL = Duration.ofMinutes(10);

    private final NodeHost host;

    public HostClient(NodeHost host) {
        this.host = host;
    }

    /** @return true while the Node process runs */
    public boolean isAlive() {
        return host.isAlive();
    }

    /**
     * Cold boot: the image's kernel (its unpacked ELF copied into guest memory by the host when the image
     * has one), initramfs and BIOS files, an optional root filesystem on the 9p share.
     *
     * @param network true for a network device (the guest side of ports): it is part of the state
     */
    public JsonNode bootKernel(Image image, boolean network) {
        ObjectNode request = NdjsonCodec.object().put("kernel", image.kernel().toString())
                .put("initrd", image.initrd().toString()).put("bios", image.bios().toString())
                .put("cmdline", image.cmdline()).put("memoryMb", image.memoryMb()).put("network", network);
        if (image.kernelElf() != null) {
            request.put("kernelElf", image.kernelElf().toString());
        }
        return host.call("boot", rootFilesystem(request, image.rootfsStore(), image.rootfs()), CALL);
    }

    /** Start from a saved state file, which is also kept in memory as {@code slot}; @return timings */
    public JsonNode bootState(Path state, String slot, Path bios, int memoryMb, Path rootfsStore, Path rootfs, boolean network) {
        ObjectNode request = NdjsonCodec.object().put("state", state.toString()).put("slot", slot)
                .put("bios", bios.toString()).put("memoryMb", memoryMb).put("network", network);
        return host.call("boot", rootFilesystem(request, rootfsStore, rootfs), CALL);
    }

    private static ObjectNode rootFilesystem(ObjectNode request, Path rootfsStore, Path rootfs) {
        if (rootfsStore != null) {
            request.put("rootfsStore", rootfsStore.toString());
        }
        if (rootfs != null) {
            request.put("rootfs", rootfs.toString());
        }
        return request;
    }

    /** Types text on the serial console (port 0), without waiting. */
    public void send(String text) {
        host.request("send", NdjsonCodec.object().put("data", NdjsonCodec.base64(text.getBytes(StandardCharsets.UTF_8))));
    }

    /** Types bytes on the serial console (port 0) as they are, without waiting. */
    public void send(byte[] bytes) {
        host.request("send", NdjsonCodec.object().put("data", NdjsonCodec.base64(bytes)));
    }

    /**
     * Runs one command line (see {@code CommandLine.line}); its output comes as {@code output}
     * events carrying the nonce, before the answer.
     *
     * @param script the command, written to {@code scriptPath} first; null when it is inline in the line
     * @return completes with the exit code when both streams have ended, or fails if the command was
     *         abandoned (a new command, a restore)
     */
    public CompletableFuture<Integer> exec(String nonce, String line, boolean sync, String scriptPath, byte[] script) {
        ObjectNode request = NdjsonCodec.object().put("nonce", nonce).put("line", NdjsonCodec.base64(line.getBytes(StandardCharsets.UTF_8)))
                .put("sync", sync);
        if (script != null) {
            request.putObject("script").put("path", scriptPath).put("data", NdjsonCodec.base64(script));
        }
        return host.request("exec", request).thenApply(answer -> answer.path("exitCode").asInt(255));
    }

    /** Prepares background job {@code job}'s folder on the share: its runner, its command, its tapped output files. */
    public void spawn(int job, String folder, byte[] runner, byte[] command) {
        writeFile(folder + "/run", runner, 0755);
        host.call("spawn", NdjsonCodec.object().put("job", job).put("dir", folder).put("script", NdjsonCodec.base64(command)), CALL);
    }

    /** Writes bytes as a file on the share (parents created); mode null keeps the default. */
    public void writeFile(String path, byte[] content, Integer mode) {
        ObjectNode request = NdjsonCodec.object().put("path", path).put("data", NdjsonCodec.base64(content));
        if (mode != null) {
            request.put("mode", mode);
        }
        host.call("writeFile", request, FILE_CALL);
    }

    /** Writes a host file onto the share, read by the host itself (the JVM never holds it). */
    public void writeFileFrom(String path, Path source, int mode) {
        host.call("writeFile", NdjsonCodec.object().put("path", path).put("source", source.toAbsolutePath().toString()).put("mode", mode), FILE_CALL);
    }

    /** @return the bytes of a file on the share (empty if it is missing) */
    public byte[] readFile(String path) {
        return NdjsonCodec.bytes(host.call("readFile", NdjsonCodec.object().put("path", path), FILE_CALL), "data");
    }

    /** Copies a file of the share to a host file, written atomically by the host. */
    public void readFileTo(String path, Path target) {
        host.call("readFile", NdjsonCodec.object().put("path", path).put("target", target.toString()), FILE_CALL);
    }

    public void mkdir(String path, int mode) {
        host.call("mkdir", NdjsonCodec.object().put("path", path).put("mode", mode), FILE_CALL);
    }

    public void symlink(String path, String target) {
        host.call("symlink", NdjsonCodec.object().put("path", path).put("target", target), FILE_CALL);
    }

    /** @return {entries: [{path, type, mode, size, target}]} of everything below a folder of the share */
    public JsonNode list(String path) {
        return host.call("list", NdjsonCodec.object().put("path", path), FILE_CALL);
    }

    /**
     * Writes the share's tree as v86's fs.json to {@code target} and moves the file contents the guest
     * wrote into the content store {@code store}; folders in {@code skip} are left out.
     *
     * @return {files, moved, movedBytes, totalBytes}
     */
    public JsonNode exportTree(Path store, Path target, java.util.List<String> skip) {
        ObjectNode request = NdjsonCodec.object().put("store", store.toString()).put("target", target.toString());
        skip.forEach(request.putArray("skip")::add);
        return host.call("exportTree", request, FILE_CALL);
    }

    /** Saves the state into a memory slot and, if {@code file} is not null, a file; @return sizes and timings */
    public JsonNode saveState(String slot, Path file) {
        ObjectNode request = NdjsonCodec.object().put("slot", slot);
        if (file != null) {
            request.put("path", file.toString());
        }
        return host.call("saveState", request, CALL);
    }

    /** Puts the machine back into the state of a memory slot. */
    public void restoreState(String slot) {
        host.call("restoreState", NdjsonCodec.object().put("slot", slot), CALL);
    }

    /** Forgets a state kept in memory. */
    public void dropState(String slot) {
        host.call("dropState", NdjsonCodec.object().put("slot", slot), CALL);
    }

    /**
     * Listens on the host's 127.0.0.1 for a guest port (the same listener if it has one).
     *
     * @param wanted a host port to take if it is free (the machine's port before a restart), 0 for any
     * @return the host port
     */
    public int exposePort(int guestPort, int wanted) {
        return host.call("exposePort", NdjsonCodec.object().put("guestPort", guestPort).put("hostPort", wanted), CALL).path("hostPort").asInt();
    }

    /** Lets the guest reach the host's 127.0.0.1:{@code port} as host.v86unit.internal. */
    public void allowHostPort(int port) {
        host.call("allowHostPort", NdjsonCodec.object().put("port", port), CALL);
    }

    /** @return {@code open}, {@code refused} or {@code no answer}: a connection attempt to a guest port, without data */
    public String probePort(int guestPort) {
        return host.call("probePort", NdjsonCodec.object().put("guestPort", guestPort), CALL).path("state").asText();
    }

    /** @return the host's memory figures: {maxRssKb, rssBytes, tcpHandles, network: {listeners, connections, ...}} */
    public JsonNode stats() {
        return host.call("stats", null, CALL);
    }

    @Override
    public void close() {
        host.close();
    }
}
