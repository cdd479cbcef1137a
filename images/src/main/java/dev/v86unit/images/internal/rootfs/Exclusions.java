package dev.v86unit.images.internal.rootfs;

import java.util.List;

/**
 * What a test VM never reads, left out of every root filesystem: documentation (including the copyright
 * files: the licences stay in the .deb files and {@code /usr/share/common-licenses}), manual and info
 * pages, message translations, lint and bug-report metadata. About 3,500 files of the base image.
 * Locale data for {@code C.UTF-8} is in {@code /usr/lib/locale} and stays.
 */
public final class Exclusions {

    static final List<String> DIRECTORIES = List.of("usr/share/doc", "usr/share/man", "usr/share/info",
            "usr/share/locale", "usr/share/lintian", "usr/share/bug", "usr/share/doc-base");

    private Exclusions() {
    }

    /** @param path a package path such as {@code usr/share/doc/bash/copyright} */
    public static boolean excluded(String path) {
        for (String dir : DIRECTORIES) {
            if (path.startsWith(dir) && (path.length() == dir.length() || path.charAt(dir.length()) == '/')) {
                return true;
            }
        }
        return false;
    }
}
