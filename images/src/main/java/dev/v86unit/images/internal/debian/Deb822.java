package dev.v86unit.images.internal.debian;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The RFC-822-like control format of Debian's Release and Packages files: stanzas separated by blank
 * lines, {@code Field: value} lines, continuation lines starting with a space or tab. Field names are
 * case-insensitive. A multi-line value keeps its lines, joined by '\n' and stripped.
 */
public final class Deb822 {

    private Deb822() {
    }

    /** One paragraph of fields. */
    public record Stanza(Map<String, String> fields) {

        public Stanza {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        public Optional<String> get(String field) {
            return Optional.ofNullable(fields.get(field.toLowerCase(Locale.ROOT)));
        }

        public String require(String field) {
            return get(field).orElseThrow(() -> new IllegalArgumentException(
                    "Missing field '" + field + "' in stanza " + describe()));
        }

        private String describe() {
            return get("Package").map(p -> "of package " + p).orElse("starting with " + fields.keySet());
        }
    }

    public static List<Stanza> parse(String text) {
        List<Stanza> stanzas = new ArrayList<>();
        parse(new BufferedReader(new StringReader(text)), stanzas::add);
        return stanzas;
    }

    /** Streams the stanzas of {@code reader} to {@code sink}, so a 50 MB index never sits in memory whole. */
    public static void parse(BufferedReader reader, Consumer<Stanza> sink) {
        Map<String, String> fields = new LinkedHashMap<>();
        String currentField = null;
        int lineNumber = 0;
        try {
            for (String line; (line = reader.readLine()) != null; ) {
                lineNumber++;
                if (line.isBlank()) {
                    flush(fields, sink);
                    currentField = null;
                } else if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                    if (currentField == null) {
                        throw new IllegalArgumentException("Line " + lineNumber + ": continuation line without a field");
                    }
                    String previous = fields.get(currentField);
                    String continued = line.strip();
                    fields.put(currentField, previous.isEmpty() ? continued : previous + "\n" + continued);
                } else if (line.charAt(0) != '#') {
                    int colon = line.indexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("Line " + lineNumber + ": expected 'Field: value' but was '"
                                + line + "'");
                    }
                    currentField = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                    fields.put(currentField, line.substring(colon + 1).strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        flush(fields, sink);
    }

    private static void flush(Map<String, String> fields, Consumer<Stanza> sink) {
        if (!fields.isEmpty()) {
            sink.accept(new Stanza(fields));
            fields.clear();
        }
    }
}
