package dev.v86unit.internal.text;

import java.time.Duration;

/** Short, printable excerpts of commands and output for messages: long text is cut in the middle. */
public final class Excerpts {

    /** Characters kept from each end of a long text. */
    public static final int KEEP = 400;

    private Excerpts() {
    }

    /** @return the text in double quotes with control characters escaped and the middle of long text cut out */
    public static String quote(String text) {
        return "\"" + escape(cut(text, KEEP)) + "\"";
    }

    /** @return the text itself if short, else its head and tail around a marker saying how much was cut */
    public static String cut(String text, int keep) {
        if (text.length() <= 2 * keep + 40) {
            return text;
        }
        int omitted = text.length() - 2 * keep;
        return text.substring(0, keep) + "[... " + omitted + " characters cut ...]" + text.substring(text.length() - keep);
    }

    /** @return a duration as people write it: 250 ms, 3 s, 1.5 s */
    public static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
