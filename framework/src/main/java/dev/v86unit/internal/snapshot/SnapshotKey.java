package dev.v86unit.internal.snapshot;

import dev.v86unit.images.Image;
import dev.v86unit.internal.exec.CommandLine;
import dev.v86unit.internal.host.HostRuntime;
import dev.v86unit.internal.io.Hashes;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything that makes a saved machine state valid. v86 refuses (or worse, misruns) a state made
 * by another version or with other hardware, and a state of another image or protocol is simply the
 * wrong machine; so all of it goes into the key, and a change in any part makes a new snapshot.
 *
 * @param imageId         the image's content id (kernel, initramfs, BIOS)
 * @param v86Version      the emulator version
 * @param hostSha256      the host script, which fixes the emulated hardware (memory layout, devices)
 * @param memoryMb        guest memory
 * @param cmdline         kernel command line
 * @param guestProtocol   the version of the control protocol the saved shell speaks
 * @param guestFiles      the sha256 of the scripts that protocol mode runs ({@link CommandLine#guestFiles()}):
 *                        a saved state holds the forwarders they started, so a change in them must not
 *                        restore the old ones (it did: reading larger chunks took effect only with a
 *                        bumped {@link #GUEST_PROTOCOL})
 * @param network         whether the machine has a network device (machines with ports): a state with
 *                        the device cannot be restored into a machine without it, nor the other way
 */
public record SnapshotKey(String imageId, String v86Version, String hostSha256, int memoryMb, String cmdline, int guestProtocol,
        String guestFiles, boolean network) {

    /** Bump when the state a snapshot captures changes meaning in a way that the scripts' hash
     *  ({@code guestFiles}) does not show: the initramfs's or the host's part of it, the share's layout. */
    /** 3: output through FIFOs and forwarders, shell functions typed in at protocol mode (CommandLine.PROTOCOL_MODE).
     *  4: Debian images are configured by their first boot (dpkg --configure -a) or start from that layer.
     *  5: fresh names for command files and staging folders, O_DSYNC forwarders (roots with cache=loose).
     *  6: on those roots, forwarders that write with O_DIRECT (perl; CommandLine.DIRECT_WRITER).
     *  7: protocol mode sources a file on the share (CommandLine.PROTOCOL) instead of being typed; the
     *     initramfs makes the FIFOs and sets the tty's modes.
     *  8: one perl forwarder for both streams (CommandLine.DIRECT_WRITER takes a mode and file/FIFO pairs);
     *     on those roots a background job is one perl process (CommandLine.JOB_RUNNER, job.pl on the share). */
    public static final int GUEST_PROTOCOL = 8;

    public static SnapshotKey of(Image image, HostRuntime runtime, boolean network) {
        return new SnapshotKey(image.id(), runtime.v86Version(), runtime.hostSha256(), image.memoryMb(), image.cmdline(), GUEST_PROTOCOL,
                sha256Of(CommandLine.guestFiles()), network);
    }

    /** @return the sha256 of files (as {@link CommandLine#guestFiles()}): each path and its text, in the order of the paths */
    static String sha256Of(Map<String, String> files) {
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(files).forEach((path, text) -> canonical.append(path).append('\0').append(text).append('\0'));
        return Hashes.sha256(canonical.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** @return the fields as they are recorded next to the snapshot */
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("imageId", imageId);
        fields.put("v86Version", v86Version);
        fields.put("hostSha256", hostSha256);
        fields.put("memoryMb", memoryMb);
        fields.put("cmdline", cmdline);
        fields.put("guestProtocol", guestProtocol);
        fields.put("guestFiles", guestFiles);
        if (network) {
            // only when set: the keys (and snapshots) of machines without ports stay what they were
            fields.put("network", true);
        }
        return fields;
    }

    /** @return the sha256 (hex) of all fields, the snapshot's file name */
    public String hash() {
        StringBuilder canonical = new StringBuilder();
        fields().forEach((name, value) -> canonical.append(name).append('=').append(value).append('\n'));
        return Hashes.sha256(canonical.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** @return a short form for log lines */
    public String shortHash() {
        return hash().substring(0, 12);
    }
}
