package dev.v86unit.assertj;

/**
 * Commands and output as they appear in assertion messages: in double quotes, control characters
 * escaped, the middle of long text cut out (as zt-exec's messages do), so a failure stays readable.
 */
final class Quoting {

    /** Characters kept from each end of a long text. */
    static final int KEEP = 400;

    private Quoting() {
    }

    static String quote(String text) {
        String cut = text;
        if (text.length() > 2 * KEEP + 40) {
            cut = text.substring(0, KEEP) + "[... " + (text.length() - 2 * KEEP) + " characters cut ...]"
                    + text.substring(text.length() - KEEP);
        }
        StringBuilder out = new StringBuilder(cut.length() + 16).append('"');
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
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
        return out.append('"').toString();
    }
}
