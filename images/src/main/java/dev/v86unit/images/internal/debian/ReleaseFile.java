package dev.v86unit.images.internal.debian;

import dev.v86unit.images.ImageBuildException;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The fields we use from a suite's (In)Release file: its names, its date, and the sha256 + size of every
 * index file below {@code dists/<suite>/}. Parse only text whose signature was verified.
 *
 * @param suite         e.g. {@code oldstable}
 * @param codename      e.g. {@code bookworm}
 * @param date          the {@code Date:} field as written, e.g. {@code Sat, 11 Jul 2026 10:16:37 UTC}
 * @param acquireByHash whether index files can be fetched from {@code by-hash/SHA256/<hash>} paths, which
 *                      stay valid while the mirror updates
 * @param sha256        index file path relative to {@code dists/<suite>/} -> its checksum and size
 */
public record ReleaseFile(String suite, String codename, String date, boolean acquireByHash,
                          Map<String, IndexFile> sha256) {

    /** An index file listed in the SHA256 section. */
    public record IndexFile(String path, String sha256, long size) {
    }

    public ReleaseFile {
        sha256 = Collections.unmodifiableMap(new TreeMap<>(sha256));
    }

    public static ReleaseFile parse(String text) {
        List<Deb822.Stanza> stanzas = Deb822.parse(text);
        if (stanzas.isEmpty()) {
            throw new ImageBuildException("The Release file is empty");
        }
        Deb822.Stanza release = stanzas.get(0);
        Map<String, IndexFile> files = new TreeMap<>();
        String section = release.get("SHA256").orElseThrow(
                () -> new ImageBuildException("The Release file has no SHA256 section"));
        for (String line : section.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.strip().split("\\s+");
            if (parts.length != 3 || !parts[0].matches("[0-9a-f]{64}")) {
                throw new ImageBuildException("Malformed line in the Release file's SHA256 section: '" + line + "'");
            }
            files.put(parts[2], new IndexFile(parts[2], parts[0], Long.parseLong(parts[1])));
        }
        return new ReleaseFile(
                release.get("Suite").orElse(""),
                release.get("Codename").orElse(""),
                release.get("Date").orElse(""),
                release.get("Acquire-By-Hash").map("yes"::equalsIgnoreCase).orElse(false),
                files);
    }

    public Optional<IndexFile> file(String path) {
        return Optional.ofNullable(sha256.get(path));
    }

    /** Whether this Release file describes {@code name}, given as a codename or a suite. */
    public boolean describes(String name) {
        return name.equals(codename) || name.equals(suite);
    }
}
