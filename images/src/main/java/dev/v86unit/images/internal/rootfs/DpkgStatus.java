package dev.v86unit.images.internal.rootfs;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /var/lib/dpkg/status} listing the unpacked packages as installed, from each package's control
 * file, so that {@code dpkg -s} and {@code dpkg -l} in the guest tell what an image contains. The file
 * lists ({@code /var/lib/dpkg/info/*.list}) are not written: {@code dpkg -L} and {@code dpkg -S} know
 * nothing, and installing more packages with dpkg inside the guest is not supported.
 */
final class DpkgStatus {

    static final String PATH = "var/lib/dpkg/status";

    private DpkgStatus() {
    }

    /** @param controls package name -> its {@code control} file */
    static void write(Rootfs rootfs, Map<String, byte[]> controls) {
        StringBuilder status = new StringBuilder();
        for (Map.Entry<String, byte[]> control : new TreeMap<>(controls).entrySet()) {
            String text = new String(control.getValue(), StandardCharsets.UTF_8).strip();
            int firstLineEnd = text.indexOf('\n');
            String first = firstLineEnd < 0 ? text : text.substring(0, firstLineEnd);
            String rest = firstLineEnd < 0 ? "" : text.substring(firstLineEnd);
            status.append(first).append("\nStatus: install ok installed").append(rest).append("\n\n");
        }
        rootfs.text(PATH, 0644, status.toString());
        rootfs.text("var/lib/dpkg/available", 0644, "");
    }
}
