package dev.v86unit.images.internal.debian;

/**
 * One binary package as listed in a Packages index. The relation fields ({@code depends} etc.) are kept
 * verbatim; empty when absent.
 *
 * @param filename  path of the {@code .deb} relative to the mirror root, e.g. {@code pool/main/s/seabios/...}
 * @param sha256    lowercase hex
 * @param size      in bytes
 * @param priority  {@code required}, {@code important}, ... or empty
 * @param essential {@code Essential: yes}: such packages are never declared as dependencies, every system has them
 */
public record PackageEntry(String name, String version, String architecture, String filename, String sha256,
                           long size, String depends, String preDepends, String provides, String priority,
                           boolean essential, String recommends) {

    /** A package known only by what a manifest records about its {@code .deb}. */
    public static PackageEntry ofDeb(String name, String version, String filename, String sha256, long size) {
        return new PackageEntry(name, version, "", filename, sha256, size, "", "", "", "", false, "");
    }

    static PackageEntry of(Deb822.Stanza stanza) {
        String sizeText = stanza.require("Size");
        long size;
        try {
            size = Long.parseLong(sizeText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid Size '" + sizeText + "' of package "
                    + stanza.require("Package"), e);
        }
        return new PackageEntry(
                stanza.require("Package"),
                stanza.require("Version"),
                stanza.get("Architecture").orElse(""),
                stanza.require("Filename"),
                stanza.require("SHA256").toLowerCase(java.util.Locale.ROOT),
                size,
                stanza.get("Depends").orElse(""),
                stanza.get("Pre-Depends").orElse(""),
                stanza.get("Provides").orElse(""),
                stanza.get("Priority").orElse(""),
                stanza.get("Essential").map(e -> e.equalsIgnoreCase("yes")).orElse(false),
                stanza.get("Recommends").orElse(""));
    }

    public DebianVersion debianVersion() {
        return DebianVersion.parse(version);
    }

    /** The last path segment of {@link #filename()}, which is unique within an archive. */
    public String basename() {
        return filename.substring(filename.lastIndexOf('/') + 1);
    }

    /** "seabios 1.16.2-1", for messages. */
    public String label() {
        return name + " " + version;
    }
}
