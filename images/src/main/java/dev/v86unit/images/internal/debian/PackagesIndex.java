package dev.v86unit.images.internal.debian;

import dev.v86unit.images.ImageBuildException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packages of a Packages index that we asked for. An archive may list several versions of one
 * package (e.g. during a point release), so lookups pick the newest by dpkg's ordering.
 */
public final class PackagesIndex {

    private static final Comparator<PackageEntry> BY_VERSION =
            Comparator.comparing(PackageEntry::debianVersion).thenComparing(PackageEntry::name);

    private static final String PACKAGE_FIELD = "Package:";

    private final List<PackageEntry> entries;

    public PackagesIndex(List<PackageEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses a (decompressed) Packages file, keeping only the packages whose name passes {@code wanted}:
     * bookworm's i386 index has 60,000 stanzas and we need three.
     */
    public static PackagesIndex parse(InputStream text, Predicate<String> wanted) {
        List<PackageEntry> kept = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(text, StandardCharsets.UTF_8), 1 << 16);
        StringBuilder stanza = new StringBuilder();
        boolean skip = false;
        try {
            // Cheap pre-filter: drop a stanza as soon as its Package line shows it is unwanted, and give
            // only the few wanted ones to the full parser.
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank()) {
                    keep(stanza, skip, kept);
                    stanza.setLength(0);
                    skip = false;
                } else if (!skip) {
                    if (line.regionMatches(true, 0, PACKAGE_FIELD, 0, PACKAGE_FIELD.length())
                            && !wanted.test(line.substring(PACKAGE_FIELD.length()).strip())) {
                        skip = true;
                    } else {
                        stanza.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Packages index", e);
        }
        keep(stanza, skip, kept);
        return new PackagesIndex(kept);
    }

    private static void keep(StringBuilder stanza, boolean skip, List<PackageEntry> kept) {
        if (!skip && stanza.length() > 0) {
            for (Deb822.Stanza parsed : Deb822.parse(stanza.toString())) {
                kept.add(PackageEntry.of(parsed));
            }
        }
    }

    public List<PackageEntry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** Every package name with its newest version, sorted by name: one pass for the dependency resolver. */
    public Map<String, PackageEntry> newestByName() {
        Map<String, PackageEntry> newest = new TreeMap<>();
        for (PackageEntry entry : entries) {
            newest.merge(entry.name(), entry, (a, b) -> BY_VERSION.compare(a, b) >= 0 ? a : b);
        }
        return newest;
    }

    /** The newest version of package {@code name}. */
    public Optional<PackageEntry> newest(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).max(BY_VERSION);
    }

    public PackageEntry requireNewest(String name) {
        return newest(name).orElseThrow(() -> new ImageBuildException("Package '" + name
                + "' is not in the Packages index"));
    }

    /**
     * The newest package whose name matches {@code namePattern}: by version and then, for equal versions,
     * by the pattern's first group (if any) compared as a Debian version, so that ABI "6.1.0-50" beats
     * "6.1.0-9" where a string comparison would not.
     */
    public Optional<PackageEntry> newestMatching(Pattern namePattern) {
        return entries.stream()
                .filter(e -> namePattern.matcher(e.name()).matches())
                .max(Comparator.comparing(PackageEntry::debianVersion)
                        .thenComparing(e -> abiOf(namePattern, e.name())));
    }

    private static DebianVersion abiOf(Pattern pattern, String name) {
        Matcher matcher = pattern.matcher(name);
        boolean hasGroup = matcher.matches() && matcher.groupCount() >= 1 && matcher.group(1) != null;
        return DebianVersion.parse(hasGroup ? matcher.group(1) : name);
    }
}
