package dev.v86unit.images.internal.rootfs;

import dev.v86unit.images.ImageBuildException;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Users and groups as base-passwd's postinst ({@code update-passwd}) and passwd's {@code shadowconfig on}
 * would leave them on a fresh system: {@code /etc/passwd} and {@code /etc/group} from base-passwd's
 * {@code passwd.master} and {@code group.master} with the passwords moved to {@code /etc/shadow} and
 * {@code /etc/gshadow}. Every password stays locked ({@code *}, as in the masters): the guest is driven
 * as root over the console, nobody logs in. The password-change day is fixed, not today, so the files
 * are the same on every build.
 */
public final class Accounts {

    static final String PASSWD_MASTER = "usr/share/base-passwd/passwd.master";
    static final String GROUP_MASTER = "usr/share/base-passwd/group.master";
    /** Days since the epoch of {@link Rootfs#FIXED_MTIME}. */
    static final long LAST_CHANGE_DAY = Rootfs.FIXED_MTIME / 86_400;

    private Accounts() {
    }

    /** The four files, in {@code rootfs} (which must contain base-passwd). */
    public static void write(Rootfs rootfs) {
        List<String[]> users = records(rootfs, PASSWD_MASTER, 7);
        List<String[]> groups = records(rootfs, GROUP_MASTER, 4);
        long shadowGid = groups.stream().filter(g -> g[0].equals("shadow")).mapToLong(g -> Long.parseLong(g[2]))
                .findFirst().orElse(0);
        StringBuilder passwd = new StringBuilder();
        StringBuilder shadow = new StringBuilder();
        for (String[] user : users) {
            passwd.append(String.join(":", user[0], "x", user[2], user[3], user[4], user[5], user[6])).append('\n');
            shadow.append(user[0]).append(':').append(locked(user[1])).append(':').append(LAST_CHANGE_DAY)
                    .append(":0:99999:7:::\n");
        }
        StringBuilder group = new StringBuilder();
        StringBuilder gshadow = new StringBuilder();
        for (String[] g : groups) {
            group.append(String.join(":", g[0], "x", g[2], g[3])).append('\n');
            gshadow.append(g[0]).append(':').append(locked(g[1])).append("::").append(g[3]).append('\n');
        }
        rootfs.text("etc/passwd", 0644, passwd.toString());
        rootfs.text("etc/group", 0644, group.toString());
        rootfs.file("etc/shadow", 0640, 0, shadowGid, bytes(shadow));
        rootfs.file("etc/gshadow", 0640, 0, shadowGid, bytes(gshadow));
    }

    /** @return the id of {@code group} in the {@code etc/group} written by {@link #write}, else 0 (root) */
    public static long gid(Rootfs rootfs, String group) {
        String text = rootfs.read("etc/group").map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
        return text.lines().map(line -> line.split(":", -1))
                .filter(record -> record.length >= 3 && record[0].equals(group))
                .mapToLong(record -> Long.parseLong(record[2])).findFirst().orElse(0);
    }

    private static byte[] bytes(StringBuilder text) {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The masters hold "*"; anything else there would be a hash we do not want to ship either. */
    private static String locked(String password) {
        return password.equals("*") || password.equals("!") ? password : "*";
    }

    private static List<String[]> records(Rootfs rootfs, String master, int fields) {
        byte[] content = rootfs.read(master).orElseThrow(() -> new ImageBuildException(
                "The root filesystem has no /" + master + " (package base-passwd), so it has no users"));
        return new String(content, StandardCharsets.UTF_8).lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> {
                    String[] record = line.split(":", -1);
                    if (record.length != fields) {
                        throw new ImageBuildException("/" + master + ": expected " + fields + " fields in '" + line + "'");
                    }
                    return record;
                })
                .toList();
    }
}
