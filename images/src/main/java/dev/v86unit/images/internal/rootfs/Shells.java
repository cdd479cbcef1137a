package dev.v86unit.images.internal.rootfs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /etc/shells} as debianutils' {@code update-shells} makes it on a fresh system: the template's
 * lines, then every shell listed in {@code /usr/share/debianutils/shells.d/*} (files in name order),
 * each also under its real path ({@code /bin/bash} and {@code /usr/bin/bash} with merged /usr).
 */
final class Shells {

    static final String TEMPLATE = "usr/share/debianutils/shells";
    static final String PACKAGE_DIR = "usr/share/debianutils/shells.d";

    private Shells() {
    }

    static void write(Rootfs rootfs) {
        List<String> sources = new ArrayList<>();
        sources.add(TEMPLATE);
        if (rootfs.tree().follow(PACKAGE_DIR).orElse(null) instanceof FsTree.Dir dir) {
            dir.children().keySet().forEach(name -> sources.add(PACKAGE_DIR + "/" + name));
        }
        Set<String> packaged = new LinkedHashSet<>();
        for (String source : sources) {
            for (String line : lines(rootfs, source)) {
                String shell = line.split("#", 2)[0].strip();
                if (shell.isEmpty()) {
                    continue;
                }
                packaged.add(shell);
                int slash = shell.lastIndexOf('/');
                rootfs.tree().canonical(shell.substring(0, Math.max(slash, 0)))
                        .map(dir -> "/" + dir + shell.substring(slash))
                        .filter(real -> !real.equals(shell))
                        .ifPresent(packaged::add);
            }
        }
        StringBuilder shells = new StringBuilder();
        Set<String> listed = new LinkedHashSet<>();
        for (String line : lines(rootfs, TEMPLATE)) {
            String shell = line.split("#", 2)[0];
            if (shell.isEmpty() || listed.add(shell)) {
                shells.append(line).append('\n');
            }
        }
        for (String shell : packaged) {
            if (listed.add(shell)) {
                shells.append(shell).append('\n');
            }
        }
        rootfs.text("etc/shells", 0644, shells.toString());
        rootfs.text("var/lib/shells.state", 0644, String.join("\n", packaged) + "\n");
    }

    private static List<String> lines(Rootfs rootfs, String path) {
        return rootfs.read(path).map(b -> new String(b, StandardCharsets.UTF_8).lines().toList()).orElse(List.of());
    }
}
