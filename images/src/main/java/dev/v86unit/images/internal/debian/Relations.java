package dev.v86unit.images.internal.debian;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The package relation fields of a Packages index ({@code Depends}, {@code Pre-Depends}, {@code Provides}),
 * reduced to package names. Version constraints are dropped: an index lists one version per package (the
 * few listed twice are resolved to the newest), so there is nothing to choose between. Architecture
 * qualifiers ({@code python3:any}) are dropped too: an image has one architecture.
 */
public final class Relations {

    private static final Pattern COMMA = Pattern.compile(",");
    private static final Pattern BAR = Pattern.compile("\\|");

    private Relations() {
    }

    /**
     * {@code "libc6 (>= 2.34), awk | mawk:any"} -> {@code [[libc6], [awk, mawk]]}: each inner list is one
     * requirement, satisfied by any of its alternatives.
     */
    public static List<List<String>> parse(String field) {
        List<List<String>> groups = new ArrayList<>();
        for (String group : COMMA.split(field)) {
            List<String> alternatives = new ArrayList<>();
            for (String alternative : BAR.split(group)) {
                String name = name(alternative);
                if (!name.isEmpty()) {
                    alternatives.add(name);
                }
            }
            if (!alternatives.isEmpty()) {
                groups.add(List.copyOf(alternatives));
            }
        }
        return List.copyOf(groups);
    }

    /** {@code "mail-transport-agent, awk (= 1.3)"} -> {@code [mail-transport-agent, awk]}. */
    public static List<String> names(String field) {
        return parse(field).stream().flatMap(List::stream).toList();
    }

    /** The package name of one alternative: before any "(", "[", "<", whitespace or ":". */
    private static String name(String alternative) {
        String text = alternative.strip();
        int end = 0;
        while (end < text.length() && "([<: \t\n".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        return text.substring(0, end);
    }
}
