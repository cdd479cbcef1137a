package dev.v86unit.images.internal.rootfs;

import dev.v86unit.images.internal.deb.DebEntry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * dpkg's database as {@code dpkg --unpack} leaves it: every package {@code install ok unpacked}, with its
 * control-area files in {@code /var/lib/dpkg/info} (maintainer scripts, {@code conffiles}, {@code md5sums},
 * {@code triggers}, ...) and its file list ({@code <pkg>.list}), so that the guest's own {@code dpkg
 * --configure -a} (see {@link FirstBoot}) runs the maintainer scripts as debootstrap's second stage does,
 * and {@code dpkg -s}, {@code dpkg -L} and {@code dpkg -S} know every package.
 *
 * <p>Conffiles are unpacked at their final path, not as {@code .dpkg-new}; the status lists each with the
 * md5 of that content, which is what dpkg records after configuring a new conffile (a conffile with no
 * {@code .dpkg-new} beside it is left as it is by {@code --configure}). A {@code Multi-Arch: same}
 * package's files are named {@code <pkg>:<arch>.*}, as dpkg names them.
 */
final class DpkgDatabase {

    static final String STATUS = "var/lib/dpkg/status";
    static final String INFO = "var/lib/dpkg/info/";
    /** Control-area members that dpkg keeps in its info folder; {@code control} goes into the status. */
    static final Set<String> INFO_FILES = Set.of("preinst", "postinst", "prerm", "postrm", "config", "templates",
            "triggers", "conffiles", "shlibs", "symbols", "md5sums");
    private static final Set<String> SCRIPTS = Set.of("preinst", "postinst", "prerm", "postrm", "config");

    /** One unpacked package: its control-area files and the paths of its data archive, in archive order. */
    record Unpacked(String pkg, Map<String, byte[]> control, List<String> paths) {
    }

    private DpkgDatabase() {
    }

    static void write(Rootfs rootfs, List<Unpacked> packages) {
        StringBuilder status = new StringBuilder();
        Map<String, Unpacked> byName = new TreeMap<>();
        packages.forEach(p -> byName.put(p.pkg(), p));
        for (Unpacked pkg : byName.values()) {
            String text = new String(pkg.control().getOrDefault("control", new byte[0]), StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                continue;
            }
            boolean same = text.lines().anyMatch(l -> l.equals("Multi-Arch: same"));
            String architecture = text.lines().filter(l -> l.startsWith("Architecture:")).findFirst()
                    .map(l -> l.substring("Architecture:".length()).strip()).orElse("all");
            String infoName = same ? pkg.pkg() + ":" + architecture : pkg.pkg();
            int firstLineEnd = text.indexOf('\n');
            String first = firstLineEnd < 0 ? text : text.substring(0, firstLineEnd);
            String rest = firstLineEnd < 0 ? "" : text.substring(firstLineEnd);
            status.append(first).append("\nStatus: install ok unpacked").append(rest);
            String conffiles = conffiles(rootfs, pkg.control().get("conffiles"));
            if (!conffiles.isEmpty()) {
                status.append("\nConffiles:\n").append(conffiles);
            }
            status.append("\n\n");
            for (Map.Entry<String, byte[]> file : new TreeMap<>(pkg.control()).entrySet()) {
                if (INFO_FILES.contains(file.getKey())) {
                    rootfs.file(INFO + infoName + "." + file.getKey(), SCRIPTS.contains(file.getKey()) ? 0755 : 0644,
                            file.getValue());
                }
            }
            rootfs.text(INFO + infoName + ".list", 0644, list(pkg.paths()));
        }
        rootfs.text(STATUS, 0644, status.toString().replace("\n\n\n", "\n\n"));
        rootfs.text("var/lib/dpkg/available", 0644, "");
        for (String dir : List.of("var/lib/dpkg/alternatives", "var/lib/dpkg/updates", "var/lib/dpkg/triggers",
                "var/lib/dpkg/parts")) {
            if (!rootfs.exists(dir)) {
                rootfs.dir(dir, 0755);
            }
        }
    }

    /**
     * {@code /etc/dpkg/dpkg.cfg.d/v86unit-excludes}: what {@link Exclusions} leaves out of images, as dpkg's
     * {@code path-exclude} rules (as Debian's slim container images do), so that a package installed in
     * the guest later leaves out the same.
     */
    static void excludes(Rootfs rootfs) {
        StringBuilder rules = new StringBuilder("# Written by the v86unit image builder: these folders are left out of the image.\n");
        for (String dir : Exclusions.DIRECTORIES) {
            rules.append("path-exclude /").append(dir).append("/*\n");
        }
        rootfs.text("etc/dpkg/dpkg.cfg.d/v86unit-excludes", 0644, rules.toString());
    }

    /** {@code " /etc/x <md5>"} lines for the conffiles that are in the tree, as dpkg writes them. */
    private static String conffiles(Rootfs rootfs, byte[] listing) {
        if (listing == null) {
            return "";
        }
        StringBuilder lines = new StringBuilder();
        for (String line : new String(listing, StandardCharsets.UTF_8).split("\n")) {
            String path = line.strip();
            if (path.startsWith("remove-on-upgrade ")) {
                continue;
            }
            if (!path.startsWith("/")) {
                continue;
            }
            Optional<byte[]> content = rootfs.read(path.substring(1));
            content.ifPresent(bytes -> lines.append(' ').append(path).append(' ').append(md5(bytes)).append('\n'));
        }
        return lines.toString().stripTrailing();
    }

    /** dpkg's {@code .list}: {@code /.} first, then every member as an absolute path without a trailing slash. */
    private static String list(List<String> paths) {
        StringBuilder list = new StringBuilder("/.\n");
        for (String path : paths) {
            String clean = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            if (!clean.isEmpty() && !clean.equals(".")) {
                list.append('/').append(clean).append('\n');
            }
        }
        return list.toString();
    }

    private static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    /** The paths of a package's data members, for its {@code .list}. */
    static List<String> paths(List<UnpackedDeb.Member> members) {
        return members.stream().map(UnpackedDeb.Member::entry).map(DebEntry::path).toList();
    }
}
