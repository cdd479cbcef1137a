package dev.v86unit.images.internal.rootfs;

import java.util.ArrayList;
import java.util.List;

/**
 * The maintainer-script work that only the guest can do, as {@code /etc/v86unit/first-boot}: the guest's
 * {@code v86unit-init} runs it once at boot, before the snapshot is taken, so its cost is paid once per
 * image. A step is included only when its program is in the image; with no steps, no file is written.
 */
public final class FirstBoot {

    public static final String PATH = "etc/v86unit/first-boot";

    /** A command to run when {@code program} exists, standing in for {@code script}. */
    record Step(String program, String command, String script) {
    }

    static final List<Step> STEPS = List.of(
            // Builds /etc/ssl/certs (hash links, ca-certificates.crt) from the certificates in /usr/share.
            new Step("usr/sbin/update-ca-certificates", "update-ca-certificates --fresh >/dev/null",
                    "ca-certificates' postinst"));

    private FirstBoot() {
    }

    /** @return the commands written, empty when nothing needed a script */
    public static List<String> write(Rootfs rootfs) {
        List<String> commands = new ArrayList<>();
        StringBuilder script = new StringBuilder("#!/bin/sh\n"
                + "# Written by the v86unit image builder: what maintainer scripts would have done and the\n"
                + "# builder could not do ahead of time. v86unit-init runs it once, at the first boot.\n");
        for (Step step : STEPS) {
            if (rootfs.exists(step.program())) {
                script.append("# ").append(step.script()).append('\n').append(step.command()).append('\n');
                commands.add(step.command());
            }
        }
        if (!commands.isEmpty()) {
            rootfs.text(PATH, 0755, script.toString());
        }
        return commands;
    }
}
