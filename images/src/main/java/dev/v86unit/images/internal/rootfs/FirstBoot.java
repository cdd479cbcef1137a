package dev.v86unit.images.internal.rootfs;

import java.util.ArrayList;
import java.util.List;

/**
 * The maintainer-script work that only the guest can do, as {@code /etc/v86unit/first-boot}. The framework
 * runs it once per image, at the first cold boot, checks its exit code (a failure names the packages and
 * shows dpkg's output), deletes it and keeps the resulting tree as the image's configured layer, so later
 * boots start configured.
 *
 * <p>With dpkg in the image (every Debian image: see {@link DpkgDatabase}) it does what debootstrap's second
 * stage does on its target: each {@code preinst install}, then {@code dpkg --configure -a}, which runs every
 * {@code postinst} in dependency order and then the triggers (ldconfig, Python byte compilation, ...), with
 * {@code policy-rc.d} refusing to start services meanwhile. Without dpkg it stands in for the few scripts
 * that matter. With nothing to do, no file is written.
 */
public final class FirstBoot {

    public static final String PATH = "etc/v86unit/first-boot";

    /** A command to run when {@code program} exists, standing in for {@code script}. */
    record Step(String program, String command, String script) {
    }

    /** For trees without dpkg. */
    static final List<Step> STEPS = List.of(
            // libc-bin's trigger: /etc/ld.so.cache
            new Step("usr/sbin/ldconfig", "ldconfig", "libc-bin's ldconfig trigger"),
            // Builds /etc/ssl/certs (hash links, ca-certificates.crt) from the certificates in /usr/share.
            new Step("usr/sbin/update-ca-certificates", "update-ca-certificates --fresh >/dev/null",
                    "ca-certificates' postinst"));

    static final String DPKG = "usr/bin/dpkg";

    private FirstBoot() {
    }

    /**
     * @return a summary of what the script does, empty when nothing is to be done
     */
    public static List<String> write(Rootfs rootfs) {
        if (rootfs.exists(DPKG)) {
            rootfs.text(PATH, 0755, dpkgScript());
            return List.of("preinst of each unpacked package", "dpkg --configure -a");
        }
        List<String> commands = new ArrayList<>();
        StringBuilder script = new StringBuilder(header());
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

    private static String header() {
        return "#!/bin/sh\n"
                + "# Written by the v86unit image builder: what maintainer scripts do, run in the guest once per\n"
                + "# image at its first boot (the framework runs it, checks it and keeps the result).\n";
    }

    private static String dpkgScript() {
        return header() + """
                export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true LC_ALL=C.UTF-8 LANG=C.UTF-8
                export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
                # As debootstrap and image builders do: no service starts while packages are configured.
                printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
                status=0
                arch=$(dpkg --print-architecture)
                # The preinst of each package still unpacked (dpkg --unpack would have run it), then the rest.
                for pkg in $(dpkg-query -W -f '${binary:Package} ${db:Status-Status}\\n' | sed -n 's/ unpacked$//p'); do
                  [ -x "/var/lib/dpkg/info/$pkg.preinst" ] || continue
                  echo "Running the preinst script of $pkg ..."
                  DPKG_MAINTSCRIPT_PACKAGE=${pkg%%:*} DPKG_MAINTSCRIPT_NAME=preinst DPKG_MAINTSCRIPT_ARCH=$arch DPKG_ROOT= \\
                    "/var/lib/dpkg/info/$pkg.preinst" install || {
                      status=$?; echo "v86unit: the preinst script of ${pkg%%:*} failed with exit status $status" >&2; break; }
                done
                if [ $status = 0 ]; then
                  dpkg --configure -a || status=$?
                fi
                rm -f /usr/sbin/policy-rc.d
                exit $status
                """;
    }
}
