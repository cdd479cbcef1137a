package dev.v86unit.internal.machine;

import dev.v86unit.MachineSpec;
import dev.v86unit.V86Machine;
import dev.v86unit.images.Image;
import dev.v86unit.images.ImageStore;
import dev.v86unit.images.UnknownImageException;
import dev.v86unit.internal.config.Settings;
import dev.v86unit.internal.host.HostRuntime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Starts machines: checks the cheap things first (image name, Node), then builds the image and boots. */
public final class Machines {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Map<String, ImageStore> STORES = new ConcurrentHashMap<>();

    private Machines() {
    }

    /** @see V86Machine#start(MachineSpec) */
    public static V86Machine start(MachineSpec spec) {
        Settings settings = Settings.load();
        if (!ImageStore.builtInNames().contains(spec.image())) {
            throw new UnknownImageException(spec.image(), ImageStore.builtInNames());
        }
        HostRuntime runtime = HostRuntime.prepare(settings);
        Image image = imageStore(settings).get(spec.image());
        String name = spec.image() + "#" + COUNTER.incrementAndGet();
        DefaultV86Machine machine = new DefaultV86Machine(name, spec, image, runtime,
                spec.bootTimeout() != null ? spec.bootTimeout() : settings.bootTimeout(),
                spec.execTimeout() != null ? spec.execTimeout() : settings.execTimeout());
        machine.boot();
        return machine;
    }

    /** @return the image store of these settings, shared by all machines of this JVM */
    public static ImageStore imageStore(Settings settings) {
        return STORES.computeIfAbsent(settings.cacheDir() + "\0" + settings.debianMirror(),
                key -> new ImageStore(settings.cacheDir().resolve("images"), settings.debianMirror()));
    }
}
