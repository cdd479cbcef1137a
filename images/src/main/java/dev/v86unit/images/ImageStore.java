package dev.v86unit.images;

import dev.v86unit.images.internal.build.BuiltInRecipes;
import dev.v86unit.images.internal.build.ImageCache;
import dev.v86unit.images.internal.build.Recipe;
import dev.v86unit.images.internal.build.RootfsArchive;
import dev.v86unit.images.internal.oci.ArchiveSource;
import dev.v86unit.images.internal.oci.ArchiveSources;
import dev.v86unit.images.internal.debian.DebianKeyring;
import dev.v86unit.images.internal.debian.HttpSource;
import dev.v86unit.images.internal.debian.JdkHttpSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Locale;
import java.util.Objects;
import java.util.SortedSet;

/**
 * Turns an image name into a built, verified {@link Image}, building it on first use from Debian's
 * signed package archive and caching it under {@code imagesDir}.
 *
 * <pre>{@code
 * ImageStore store = new ImageStore(cacheDir.resolve("images"), ImageStore.DEFAULT_DEBIAN_MIRROR);
 * Image busybox = store.get("busybox");   // first time: downloads ~60 MB and builds (seconds)
 * Image again = store.get("busybox");     // later, in any JVM: no network, re-verifies the files
 * Image debian = store.get("debian");     // bookworm with python3 on a 9p root: ~85 MB of downloads
 * Image withBc = store.get("debian", List.of("bc"));   // derived: debian + bc and its dependencies
 * Image bullseye = store.get("debian:11");             // Debian 11's userland on the same kernel
 * Image alpine = store.get("rootfs:file:build/alpine-minirootfs-3.21.0-x86.tar.gz");  // what you bring
 * Image app = store.get("oci:classpath:images/app-i386.tar");   // docker save output, linux/386
 * }</pre>
 *
 * <p>Names: {@code busybox} (an initramfs only); {@code debian} = {@code debian:12} = {@code debian:bookworm};
 * {@code debian:11} = {@code debian:bullseye}; {@code debian:13} = {@code debian:trixie}. Every Debian
 * image boots bookworm's kernel. {@code rootfs:<source>} is a tar (plain, gzip, xz or zstd) of an i386
 * root filesystem and {@code oci:<source>} a container image archive ({@code docker save} output or an
 * OCI image layout in a tar, for linux/386), where {@code <source>} is {@code classpath:<resource>},
 * {@code file:<path>} or a path; they boot the same kernel, and their id depends on the archive's bytes
 * only.
 *
 * <p>A build downloads the suite's {@code InRelease} and checks its OpenPGP signature against Debian's
 * archive keys shipped in this jar, then checks every further download against the sha256 listed one
 * level up, so a plain-HTTP mirror (or a proxy) cannot alter what gets built. The same recipe and the
 * same packages give byte-identical files and the same {@link Image#id()}.
 *
 * <p>{@code debian} is Debian bookworm (main, i386): every {@code Essential: yes} package, python3 and the
 * usual userland, with their {@code Depends} and {@code Pre-Depends}, unpacked without root and without
 * running maintainer scripts; what those scripts do that matters (users and groups, alternatives such as
 * {@code awk}, {@code /etc/shells}, default config files) is done by the builder, and what only the guest
 * can do runs once at its first boot. Not supported: other maintainer-script effects (system users added
 * by packages, services, dpkg triggers other than {@code ldconfig}, diversions, debconf questions),
 * version constraints between packages (the archive has one version of each), and installing packages
 * with dpkg or apt inside the guest. Documentation, man pages and translations are left out.
 *
 * <p>Thread-safe, and safe to share {@code imagesDir} between processes: a lock file per image makes a
 * second builder wait and then reuse the first one's result. Instances are immutable and cheap.
 */
public final class ImageStore {

    /** Debian's redirector, reachable over plain HTTP; the signature check makes HTTPS unnecessary. */
    public static final URI DEFAULT_DEBIAN_MIRROR = URI.create("http://deb.debian.org/debian");

    private final ImageCache cache;
    private final Map<String, String> archiveHashes = new ConcurrentHashMap<>();

    /**
     * @param imagesDir    where images and downloads are kept, usually {@code <v86unit cache>/images};
     *                     created when needed
     * @param debianMirror a Debian archive root such as {@link #DEFAULT_DEBIAN_MIRROR}, http or https
     */
    public ImageStore(Path imagesDir, URI debianMirror) {
        this(imagesDir, debianMirror, new JdkHttpSource());
    }

    /** For tests: every download goes through {@code http}. */
    ImageStore(Path imagesDir, URI debianMirror, HttpSource http) {
        Objects.requireNonNull(imagesDir, "imagesDir");
        Objects.requireNonNull(debianMirror, "debianMirror");
        String scheme = debianMirror.getScheme() == null ? "" : debianMirror.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("The Debian mirror must be an http or https URI, e.g. "
                    + DEFAULT_DEBIAN_MIRROR + ", but was " + debianMirror);
        }
        this.cache = new ImageCache(imagesDir, debianMirror, Objects.requireNonNull(http, "http"),
                DebianKeyring::builtIn);
    }

    /**
     * Returns the image called {@code name}, building it first if it is not in the cache or fails
     * verification (a damaged build is logged and rebuilt).
     *
     * @param name an image name from {@link #builtInNames()}, e.g. {@code "busybox"}, or {@code rootfs:} or
     *             {@code oci:} and an archive, e.g. {@code "rootfs:file:build/alpine.tar.gz"}
     * @return the built image; its files stay valid while the cache directory is left alone
     * @throws UnknownImageException if there is no such image (see {@link #builtInNames()})
     * @throws IllegalArgumentException if the archive of a {@code rootfs:} or {@code oci:} name is missing
     * @throws ImageBuildException   if the image had to be built and that failed
     */
    public Image get(String name) {
        return get(name, List.of());
    }

    /**
     * Returns the image called {@code name} with {@code extraPackages} installed as well (and their
     * dependencies): a derived image, built once and cached under its own id. The base image's files are
     * shared, so a derived image costs only its new packages.
     *
     * <pre>{@code
     * Image image = imageStore.get("debian", List.of("bc", "jq"));
     * }</pre>
     *
     * @param name          an image with a root filesystem, e.g. {@code "debian"}; with no extra packages any
     *                      name from {@link #builtInNames()}
     * @param extraPackages Debian package names; order and duplicates do not matter; empty means the image
     *                      itself
     * @return the built image
     * @throws UnknownImageException     if there is no such image
     * @throws IllegalArgumentException  if extra packages are asked for an image without a root filesystem
     *                                   ({@code busybox}), or a name is not a valid Debian package name
     * @throws UnknownPackageException   if a package is not in the archive (checked before downloading any)
     * @throws ImageBuildException       if the image had to be built and that failed
     */
    public Image get(String name, List<String> extraPackages) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(extraPackages, "extraPackages");
        RootfsArchive.Kind kind = archiveKind(name);
        Recipe recipe;
        if (kind != null) {
            ArchiveSource source = ArchiveSources.resolve(name.substring(kind.prefix().length() + 1), name);
            recipe = BuiltInRecipes.bootForRootfs().withArchive(new RootfsArchive(kind, source, sha256(source, name),
                    BuiltInRecipes.bootForRootfs().rootfs().guestInit()));
        } else {
            recipe = BuiltInRecipes.find(name).orElseThrow(() -> new UnknownImageException(name, availableNames()));
        }
        if (!extraPackages.isEmpty()) {
            recipe = recipe.withExtraPackages(extraPackages);
        }
        return cache.get(recipe);
    }

    /**
     * Checks a name without building anything: a built-in name, or {@code rootfs:}/{@code oci:} with an
     * archive that exists.
     *
     * @throws UnknownImageException     if it is neither, listing the names there are
     * @throws IllegalArgumentException  if the archive of a {@code rootfs:} or {@code oci:} name is missing
     */
    public static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        RootfsArchive.Kind kind = archiveKind(name);
        if (kind != null) {
            ArchiveSources.resolve(name.substring(kind.prefix().length() + 1), name);
        } else if (BuiltInRecipes.find(name).isEmpty()) {
            throw new UnknownImageException(name, availableNames());
        }
    }

    /**
     * @return the built-in names {@link #get(String)} accepts, sorted: {@code [busybox, debian, debian:11,
     * debian:12, debian:13, debian:bookworm, debian:bullseye, debian:trixie]}
     */
    public static SortedSet<String> builtInNames() {
        return BuiltInRecipes.names();
    }

    /** The built-in names, then the two forms of an archive the user brings, as the unknown-image error lists them. */
    static List<String> availableNames() {
        List<String> names = new ArrayList<>(builtInNames());
        names.add("rootfs:<classpath:|file:|path of an i386 root filesystem tar[.gz|.xz|.zst]>");
        names.add("oci:<classpath:|file:|path of a linux/386 docker save or OCI layout tar>");
        return names;
    }

    private static RootfsArchive.Kind archiveKind(String name) {
        for (RootfsArchive.Kind kind : RootfsArchive.Kind.values()) {
            if (name.startsWith(kind.prefix() + ":")) {
                return kind;
            }
        }
        return null;
    }

    /**
     * The archive's sha256, remembered in this JVM by file, size and modification time: a machine
     * start asks for the image each time, and a container image can be hundreds of megabytes.
     */
    private String sha256(ArchiveSource source, String name) {
        if (source.file() == null) {
            return ArchiveSources.sha256(source, name);
        }
        String stamp;
        try {
            Path file = source.file().toAbsolutePath();
            stamp = file + "\0" + Files.size(file) + "\0" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return ArchiveSources.sha256(source, name);
        }
        return archiveHashes.computeIfAbsent(stamp, key -> ArchiveSources.sha256(source, name));
    }
}
