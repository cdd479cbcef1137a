package dev.v86unit.images.internal.debian;

import dev.v86unit.images.ImageBuildException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.function.Predicate;

/**
 * One Debian mirror, read through the chain of trust: signed InRelease -> Packages index -> package.
 * Only {@link #release(String)} touches unverified bytes, and it checks their signature first.
 */
public final class DebianArchive {

    private static final Logger LOG = LoggerFactory.getLogger(DebianArchive.class);
    private static final long MAX_INRELEASE_SIZE = 16L * 1024 * 1024;

    private final String mirror;
    private final VerifiedDownloader downloader;
    private final InReleaseVerifier verifier;

    /** @param mirror the archive root, e.g. {@code http://deb.debian.org/debian} */
    public DebianArchive(URI mirror, VerifiedDownloader downloader, InReleaseVerifier verifier) {
        String text = mirror.toString();
        this.mirror = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.downloader = downloader;
        this.verifier = verifier;
    }

    /** The archive root without a trailing '/'. */
    public String mirror() {
        return mirror;
    }

    public URI resolve(String path) {
        return URI.create(mirror + "/" + path);
    }

    /** Fetches and verifies {@code dists/<suite>/InRelease}. */
    public ReleaseFile release(String suite) {
        URI uri = resolve("dists/" + suite + "/InRelease");
        byte[] signed = downloader.fetchUnverified(uri, MAX_INRELEASE_SIZE);
        ReleaseFile release = ReleaseFile.parse(verifier.verify(signed, uri.toString()));
        if (!release.describes(suite)) {
            // A validly signed Release of another suite would silently give us other packages.
            throw new ImageBuildException(uri + " describes suite '" + release.suite() + "' (codename '"
                    + release.codename() + "'), not '" + suite + "'");
        }
        LOG.info("Verified {} (Date: {})", uri, release.date());
        return release;
    }

    /**
     * Fetches {@code <component>/binary-<architecture>/Packages.xz} as listed in {@code release}, checks
     * its sha256 and parses the stanzas of the packages that {@code wanted} accepts.
     */
    public PackagesIndex packages(ReleaseFile release, String suite, String component, String architecture,
                                  Predicate<String> wanted) {
        String dir = component + "/binary-" + architecture + "/";
        ReleaseFile.IndexFile index = release.file(dir + "Packages.xz").orElseThrow(() -> new ImageBuildException(
                "The InRelease of " + suite + " lists no " + dir + "Packages.xz"));
        // by-hash paths do not change while the mirror syncs, so the file cannot move under us
        String path = release.acquireByHash() ? dir + "by-hash/SHA256/" + index.sha256() : index.path();
        URI uri = resolve("dists/" + suite + "/" + path);
        byte[] compressed = downloader.fetch(uri, index.sha256(), index.size(), suite + " " + index.path());
        try (InputStream text = new XZInputStream(new ByteArrayInputStream(compressed))) {
            return PackagesIndex.parse(text, wanted);
        } catch (IOException | IllegalArgumentException e) {
            throw new ImageBuildException("Cannot read " + uri + " (its sha256 was correct): " + e.getMessage(), e);
        }
    }
}
