package dev.v86unit.images.internal.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The images v86unit can build. */
public final class BuiltInRecipes {

    /**
     * Boots 27 s -> 16 s faster than Debian's defaults in v86 (measured); see DESIGN.md. loglevel=1,
     * not DESIGN.md's 0: it still keeps boot messages off the console, but lets KERN_EMERG through,
     * so that a kernel panic is visible (and reported with the console lines) instead of a silent hang.
     * init_on_free=1: pages freed during boot are zeroed, and v86 saves only non-zero pages, so the
     * snapshot state shrinks from 41.7 to 32.6 MB (16.9 to 11.2 MB packed; measured), which is what
     * a restore in a new process spends most of its time unpacking.
     * initcall_blacklist: four start-up steps that a test machine does without, 0.56-0.64 s of a
     * cold boot (busybox, alternated: 4.72-5.10 s -> 4.12-4.54 s, four pairs; per-step times from
     * initcall_debug): tracer_init_tracefs, which makes tracefs's files, ~15,000 of them for the
     * ~2,000 trace events (0.55-0.61 s of emulated CPU, done by a worker that the next start-up
     * step waits for; without it the tracing folder holds only the probe files: no events, no
     * tracers); crypto_kdf108_init and blake2s_mod_init, which only run self-tests (56 and 37 ms;
     * the algorithms stay usable); load_system_certificate_list (51-79 ms), which parses the
     * kernel's build-time signing certificate into the trusted keyring, which checks module
     * signatures, and the modules of Debian's unsigned kernel carry none. With a list, the kernel
     * looks up the name of each of its ~640 start-up steps in kallsyms; the figures above include that.
     */
    public static final String FAST_CMDLINE = "console=ttyS0 loglevel=1 cryptomgr.notests noisapnp mitigations=off"
            + " tsc=reliable no_timer_check audit=0 apparmor=0 security=none lsm= nokaslr random.trust_cpu=on init_on_free=1"
            + " initcall_blacklist=tracer_init_tracefs,crypto_kdf108_init,blake2s_mod_init,load_system_certificate_list";

    /**
     * The 9p share and virtio-net (with failover and net_failover, which it depends on: the network
     * device of machines with ports; the init loads these three only when there is one); order does
     * not matter here, it is computed from depends=. No virtio_console: v86unit gives machines no
     * virtio console (its ports go through the tty layer, measured 10x slower than the FIFOs for
     * output), and each module costs a cold boot 15-90 ms.
     */
    static final List<String> VIRTIO_9P_MODULES = List.of("virtio", "virtio_ring", "virtio_pci_modern_dev",
            "virtio_pci_legacy_dev", "virtio_pci", "9pnet", "9pnet_virtio", "netfs", "fscache", "9p",
            "failover", "net_failover", "virtio_net");

    static final String INIT_RESOURCE = "/dev/v86unit/images/guest/init";
    /** Installed as /sbin/v86unit-init in root filesystems; /init switches root to it on v86unit.root=9p. */
    static final String GUEST_INIT_RESOURCE = "/dev/v86unit/images/guest/v86unit-init";

    public static final String BUSYBOX = "busybox";
    public static final String DEBIAN = "debian";

    private static final Pattern KERNEL_PACKAGE = Pattern.compile("linux-image-(\\d+\\.\\d+\\.\\d+-\\d+)-686-unsigned");
    /** The kernel, busybox (the initramfs userland) and the BIOS: identical boot files for every image. */
    private static final List<String> BOOT_PACKAGES = List.of("busybox-static", "seabios");

    /**
     * The userland of {@code debian}, besides the Essential packages. mount: v86unit-init mounts /proc,
     * /dev, ... and since bookworm mount is its own package, not Essential. usr-is-merged: the tree is
     * built merged-/usr, and naming it settles init-system-helpers' "usrmerge | usr-is-merged" as
     * debootstrap does; otherwise the first alternative, usrmerge, would pull in perl (about 45 MB unpacked).
     */
    static final List<String> DEBIAN_PACKAGES = List.of("python3", "bash", "coreutils", "grep", "sed", "findutils",
            "procps", "util-linux", "mawk", "gzip", "bzip2", "xz-utils", "tar", "diffutils", "file", "less",
            "ncurses-base", "mount", "usr-is-merged");

    /**
     * bullseye's userland: bookworm's without usr-is-merged, which bullseye does not have (nor needs:
     * its init-system-helpers does not ask for usrmerge).
     */
    static final List<String> BULLSEYE_PACKAGES = DEBIAN_PACKAGES.stream().filter(p -> !p.equals("usr-is-merged"))
            .toList();

    /** The busybox initramfs mounts the 9p share as the root and switches to /sbin/v86unit-init. */
    public static final String ROOT_9P = "v86unit.root=9p";

    /**
     * The root on the 9p share with the guest's page, dentry and attribute caches (cache=loose): the
     * image's files change only through the guest, and the framework keeps the exchange folder
     * coherent (fresh names from the host, O_DSYNC or sync from the guest). Debian's userlands only:
     * the guest side needs a dd with oflag=dsync, which busybox's lacks. Measured on debian: see the
     * README's installed-system figures.
     */
    public static final String ROOT_CACHE_LOOSE = "v86unit.rootcache=loose";

    /** Debian releases by number, as in image names {@code debian:<number>}; codenames are aliases. */
    public static final Map<String, String> DEBIAN_RELEASES = Map.of("11", "bullseye", "12", "bookworm", "13", "trixie");

    private static final Map<String, Recipe> RECIPES = new TreeMap<>();
    /** Other names of the same recipes: {@code debian:12} and {@code debian:bookworm} are {@code debian}. */
    private static final Map<String, String> ALIASES = new TreeMap<>();

    static {
        RECIPES.put(BUSYBOX, new Recipe(BUSYBOX, 1, "bookworm", "main", "i386", KERNEL_PACKAGE, BOOT_PACKAGES,
                VIRTIO_9P_MODULES, resource(INIT_RESOURCE), FAST_CMDLINE, 128, null));
        // version 2: the Recommends of explicitly requested packages are installed too
        // version 3: dpkg's database as after dpkg --unpack; the first boot runs the maintainer scripts
        // version 4: the root with the guest's caches (cache=loose)
        RECIPES.put(DEBIAN, new Recipe(DEBIAN, 4, "bookworm", "main", "i386", KERNEL_PACKAGE, BOOT_PACKAGES,
                VIRTIO_9P_MODULES, resource(INIT_RESOURCE), FAST_CMDLINE + " " + ROOT_9P + " " + ROOT_CACHE_LOOSE, 256,
                new RootfsRecipe(DEBIAN_PACKAGES, List.of(), resource(GUEST_INIT_RESOURCE))));
        // The cached root (ROOT_CACHE_LOOSE) is debian's only so far: it was measured and tested there;
        // debian:11's and debian:13's first boots have not yet run with it.
        // Other releases' userlands boot bookworm's kernel and initramfs (the same boot files, shared by
        // every image): bullseye's glibc 2.31 and trixie's 2.41 both run on Linux 6.1, trixie has no i386
        // kernel, and one kernel keeps one set of tested modules and one boot path.
        RECIPES.put("debian:11", new Recipe("debian:11", 1, "bookworm", "main", "i386", KERNEL_PACKAGE, BOOT_PACKAGES,
                VIRTIO_9P_MODULES, resource(INIT_RESOURCE), FAST_CMDLINE + " " + ROOT_9P, 256,
                new RootfsRecipe("bullseye", BULLSEYE_PACKAGES, List.of(), resource(GUEST_INIT_RESOURCE))));
        RECIPES.put("debian:13", new Recipe("debian:13", 1, "bookworm", "main", "i386", KERNEL_PACKAGE, BOOT_PACKAGES,
                VIRTIO_9P_MODULES, resource(INIT_RESOURCE), FAST_CMDLINE + " " + ROOT_9P, 256,
                new RootfsRecipe("trixie", DEBIAN_PACKAGES, List.of(), resource(GUEST_INIT_RESOURCE))));
        ALIASES.put("debian:12", DEBIAN);
        ALIASES.put("debian:bookworm", DEBIAN);
        ALIASES.put("debian:bullseye", "debian:11");
        ALIASES.put("debian:trixie", "debian:13");
    }

    /**
     * The boot recipe of root filesystems a user brings: debian's kernel, initramfs and command line
     * ({@link Recipe#withArchive} drops {@link #ROOT_CACHE_LOOSE} from it).
     */
    public static Recipe bootForRootfs() {
        return RECIPES.get(DEBIAN);
    }

    private BuiltInRecipes() {
    }

    /** @return the recipe called {@code name} or one of its aliases ({@code debian:bullseye} is {@code debian:11}) */
    public static Optional<Recipe> find(String name) {
        return Optional.ofNullable(RECIPES.get(ALIASES.getOrDefault(name, name)));
    }

    /** @return every name {@link #find} knows, aliases included, sorted */
    public static SortedSet<String> names() {
        TreeSet<String> names = new TreeSet<>(RECIPES.keySet());
        names.addAll(ALIASES.keySet());
        return Collections.unmodifiableSortedSet(names);
    }

    private static byte[] resource(String path) {
        try (InputStream in = BuiltInRecipes.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Resource " + path + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read resource " + path, e);
        }
    }
}
