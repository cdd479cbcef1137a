package dev.v86unit.images.internal.debian;

import java.util.Objects;

/**
 * A Debian package version, {@code [epoch:]upstream[-revision]}, ordered exactly as dpkg orders them
 * (dpkg's {@code verrevcmp}): '~' sorts before everything, even the end of the string, so
 * {@code 1.0~rc1 < 1.0}; letters sort before other characters; digit runs compare as numbers.
 */
public final class DebianVersion implements Comparable<DebianVersion> {

    private final String text;
    private final long epoch;
    private final String upstream;
    private final String revision;

    private DebianVersion(String text, long epoch, String upstream, String revision) {
        this.text = text;
        this.epoch = epoch;
        this.upstream = upstream;
        this.revision = revision;
    }

    public static DebianVersion parse(String text) {
        Objects.requireNonNull(text, "text");
        String rest = text.strip();
        long epoch = 0;
        int colon = rest.indexOf(':');
        if (colon >= 0) {
            try {
                epoch = Long.parseLong(rest.substring(0, colon));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid epoch in Debian version '" + text + "'", e);
            }
            rest = rest.substring(colon + 1);
        }
        String revision = "";
        int dash = rest.lastIndexOf('-');
        if (dash >= 0) {
            revision = rest.substring(dash + 1);
            rest = rest.substring(0, dash);
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("Debian version '" + text + "' has an empty upstream version");
        }
        return new DebianVersion(text.strip(), epoch, rest, revision);
    }

    public static int compare(String a, String b) {
        return parse(a).compareTo(parse(b));
    }

    @Override
    public int compareTo(DebianVersion other) {
        int result = Long.compare(epoch, other.epoch);
        if (result == 0) {
            result = compareParts(upstream, other.upstream);
        }
        if (result == 0) {
            result = compareParts(revision, other.revision);
        }
        return result;
    }

    private static int compareParts(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            // the non-digit run, character by character
            while ((i < a.length() && !isDigit(a.charAt(i))) || (j < b.length() && !isDigit(b.charAt(j)))) {
                int ac = i < a.length() ? order(a.charAt(i)) : 0;
                int bc = j < b.length() ? order(b.charAt(j)) : 0;
                if (ac != bc) {
                    return Integer.compare(ac, bc);
                }
                i++;
                j++;
            }
            // the digit run, as a number of any length
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            int aStart = i;
            int bStart = j;
            while (i < a.length() && isDigit(a.charAt(i))) {
                i++;
            }
            while (j < b.length() && isDigit(b.charAt(j))) {
                j++;
            }
            int aLength = i - aStart;
            int bLength = j - bStart;
            if (aLength != bLength) {
                return Integer.compare(aLength, bLength);
            }
            int digits = a.substring(aStart, i).compareTo(b.substring(bStart, j));
            if (digits != 0) {
                return Integer.signum(digits);
            }
        }
        return 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** dpkg's order(): end of string and digits 0, '~' below that, letters by code, the rest after letters. */
    private static int order(char c) {
        if (isDigit(c)) {
            return 0;
        }
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DebianVersion other && compareTo(other) == 0;
    }

    @Override
    public int hashCode() {
        // equal versions may be spelled differently ("1.01" and "1.1"), so hash only what is canonical
        return Long.hashCode(epoch);
    }

    @Override
    public String toString() {
        return text;
    }
}
