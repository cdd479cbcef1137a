package dev.v86unit.images.internal.build;

import dev.v86unit.images.internal.cpio.CpioEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The file tree of the busybox initramfs. The guest init ({@code dev/v86unit/images/guest/init}) relies on
 * it: busybox at /bin/busybox, the modules under /lib/modules/&lt;kernel version&gt; with a
 * {@code modules.dep} that names each (without dependencies: the init names them all, in load order, to
 * one {@code modprobe -a}, which needs the file to find them), and their load order, one file name per
 * line, in /etc/v86unit/modules.
 */
public final class InitramfsLayout {

    static final String MODULES_DIR = "lib/modules";
    static final String MODULE_ORDER_FILE = "etc/v86unit/modules";

    private static final List<String> DIRECTORIES = List.of("bin", "sbin", "usr", "usr/bin", "usr/sbin", "proc",
            "sys", "dev", "run", "root", "etc", "etc/v86unit", "lib", MODULES_DIR, "mnt");

    private InitramfsLayout() {
    }

    /**
     * @param kernelVersion the kernel's release ({@code uname -r}), the folder of its modules
     * @param modules       module file name -> content, in load order
     */
    public static List<CpioEntry> entries(byte[] busybox, byte[] init, String kernelVersion, Map<String, byte[]> modules,
            String hostname) {
        List<CpioEntry> entries = new ArrayList<>();
        for (String dir : DIRECTORIES) {
            entries.add(CpioEntry.directory(dir, 0755));
        }
        String moduleDir = MODULES_DIR + "/" + kernelVersion;
        entries.add(CpioEntry.directory(moduleDir, 0755));
        entries.add(CpioEntry.directory("tmp", 01777));
        entries.add(CpioEntry.file("bin/busybox", 0755, busybox));
        entries.add(CpioEntry.symlink("bin/sh", "busybox"));
        entries.add(CpioEntry.file("init", 0755, init));
        // The kernel opens /dev/console for init's stdio before init can mount devtmpfs.
        entries.add(CpioEntry.charDevice("dev/console", 0600, 5, 1));
        entries.add(CpioEntry.charDevice("dev/null", 0666, 1, 3));
        entries.add(text("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"));
        entries.add(text("etc/group", "root:x:0:\n"));
        entries.add(text("etc/hostname", hostname + "\n"));
        StringBuilder order = new StringBuilder();
        StringBuilder dep = new StringBuilder();
        modules.forEach((file, content) -> {
            entries.add(CpioEntry.file(moduleDir + "/" + file, 0644, content));
            order.append(file).append('\n');
            dep.append(file).append(":\n");
        });
        entries.add(text(moduleDir + "/modules.dep", dep.toString()));
        entries.add(text(MODULE_ORDER_FILE, order.toString()));
        return entries;
    }

    private static CpioEntry text(String path, String content) {
        return CpioEntry.file(path, 0644, content.getBytes(StandardCharsets.UTF_8));
    }
}
