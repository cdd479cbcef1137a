package dev.v86unit.internal.machine;

import dev.v86unit.MachineSpec;
import dev.v86unit.V86Machine;
import dev.v86unit.images.Image;
import dev.v86unit.images.ImageBuildException;
import dev.v86unit.images.ImageStore;
import dev.v86unit.internal.config.Settings;
import dev.v86unit.V86Exception;
import dev.v86unit.internal.cache.CacheLock;
import dev.v86unit.internal.cache.ImageUse;
import dev.v86unit.internal.host.HostRuntime;
import dev.v86unit.internal.snapshot.SnapshotKey;
import dev.v86unit.internal.snapshot.SnapshotStore;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Starts machines: checks the cheap things first (image name, Node), then builds the image, then restores or boots. */
public final class Machines {

    private static final Logger LOG = LoggerFactory.getLogger(Machines.class);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Map<String, ImageStore> STORES = new ConcurrentHashMap<>();

    private Machines() {
    }

    /** @see V86Machine#start(MachineSpec) */
    public static V86Machine start(MachineSpec spec) {
        Settings settings = Settings.load();
        ImageStore.checkName(spec.image());
        MachinePool.Key key = new MachinePool.Key(spec, settings);
        long begin = System.nanoTime();
        DefaultV86Machine reused = MachinePool.SHARED.take(key);
        if (reused != null) {
            LOG.info("{} handed on, reset to its start state ({} since the request)", reused.name(),
                    dev.v86unit.internal.text.Excerpts.duration(java.time.Duration.ofNanos(System.nanoTime() - begin)));
            reused.touchUse();
            return new PooledMachine(reused, MachinePool.SHARED, key);
        }
        HostRuntime runtime = HostRuntime.prepare(settings);
        // Shared: a prune (which takes it exclusively) neither runs while this start reads and writes the
        // cache nor deletes what the machine needs afterwards (its image's use lock, taken below, sees to that)
        try (CacheLock cacheLock = CacheLock.shared(settings.cacheDir())) {
            return startLocked(spec, settings, runtime, key);
        }
    }

    private static V86Machine startLocked(MachineSpec spec, Settings settings, HostRuntime runtime, MachinePool.Key key) {
        ConfiguredLayers layers = new ConfiguredLayers(settings.cacheDir().resolve("layers"), settings.firstBootTimeout());
        Image image;
        try {
            Image built = imageStore(settings).get(spec.image(), spec.packages());
            image = layers.forBoot(built, spec.packages().isEmpty() ? null : imageStore(settings).get(spec.image()),
                    base -> configure(base, runtime, settings, layers));
        } catch (ImageBuildException e) {
            // V86Machine.start promises V86Exception for everything but a misnamed image; the message
            // (the package, URL or file that failed) is the image builder's own
            throw new V86Exception("Cannot build image '" + spec.image() + "'" + (spec.packages().isEmpty() ? "" : " with packages " + spec.packages())
                    + ": " + e.getMessage(), e);
        }
        String name = spec.image() + "#" + COUNTER.incrementAndGet();
        DefaultV86Machine machine = new DefaultV86Machine(name, spec, image, runtime,
                spec.bootTimeout() != null ? spec.bootTimeout() : settings.bootTimeout(),
                spec.execTimeout() != null ? spec.execTimeout() : settings.execTimeout(), settings.outputLimit());
        machine.configureWith(layers);
        machine.useCache(settings.cacheDir(), ImageUse.begin(image, spec.image(), spec.packages()));
        try {
            if (spec.snapshot()) {
                startFromSnapshot(machine, new SnapshotStore(settings.cacheDir().resolve("snapshots")),
                        SnapshotKey.of(image, runtime, spec.hasNetwork()), settings.snapshotReuse());
            } else {
                machine.coldBoot(null);
            }
        } catch (RuntimeException e) {
            machine.close(); // releases the image's use lock
            throw e;
        }
        return new PooledMachine(machine, MachinePool.SHARED, key);
    }

    /** @return the version of the configured layers this framework makes (older ones are pruned) */
    public static int layerVersion() {
        return ConfiguredLayers.VERSION;
    }

    /** Cold-boots an image once, without a snapshot, for its first boot to write its configured layer. */
    private static void configure(Image image, HostRuntime runtime, Settings settings, ConfiguredLayers layers) {
        DefaultV86Machine machine = new DefaultV86Machine(image.name() + "#" + COUNTER.incrementAndGet(), MachineSpec.of(image.name()),
                image, runtime, settings.bootTimeout(), settings.execTimeout(), settings.outputLimit());
        machine.configureWith(layers);
        try {
            machine.coldBoot(null);
        } finally {
            machine.close();
        }
    }

    /**
     * Restores the key's snapshot, or cold-boots and saves it. Making it holds the key's lock, so
     * that of several JVMs (or threads) starting the same image at once, one boots and the others
     * wait and restore.
     */
    static void startFromSnapshot(DefaultV86Machine machine, SnapshotStore store, SnapshotKey key, boolean reuse) {
        if (reuse && tryRestore(machine, store, key, false)) {
            return;
        }
        try (SnapshotStore.Lock lock = store.lock(key)) {
            if (reuse && tryRestore(machine, store, key, true)) {
                return;
            }
            if (!reuse) {
                store.delete(key);
            }
            long rawSize = machine.coldBoot(store.stateFile(key));
            store.commit(key, rawSize);
        }
    }

    private static boolean tryRestore(DefaultV86Machine machine, SnapshotStore store, SnapshotKey key, boolean repair) {
        Optional<Path> state = store.find(key, repair);
        if (state.isEmpty()) {
            return false;
        }
        try {
            machine.restoreFrom(state.get());
            return true;
        } catch (V86Exception e) {
            if (repair) {
                LOG.warn("Snapshot {} could not be restored ({}); deleting it to make it again", state.get(), e.getMessage());
                store.delete(key);
            }
            return false;
        }
    }

    /** @return the image store of these settings, shared by all machines of this JVM */
    public static ImageStore imageStore(Settings settings) {
        return STORES.computeIfAbsent(settings.cacheDir() + "\0" + settings.debianMirror(),
                key -> new ImageStore(settings.cacheDir().resolve("images"), settings.debianMirror()));
    }
}
