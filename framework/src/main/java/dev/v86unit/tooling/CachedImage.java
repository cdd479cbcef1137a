package dev.v86unit.tooling;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A built image in the cache, as {@link Cache#images()} lists it.
 *
 * @param name      the image name ({@code busybox}, {@code debian}; for a build of another v86unit version,
 *                  the name its folder carries)
 * @param packages  the packages added to it ({@code @V86Vm(packages = ...)}), sorted; empty for the image
 *                  itself, and for a build no machine has started yet (the build does not record them)
 * @param id        its {@code sha256:} id, or null if its manifest cannot be read (a damaged build)
 * @param directory its build folder
 * @param sizeBytes the size of the build folder (a root filesystem's files are in the shared content store)
 * @param lastUse   when a machine of it last started; empty if none has since the cache recorded uses
 * @param current   whether this version of v86unit builds it for that name and packages (else a later
 *                  prune removes it, unless it is in use)
 * @param inUse     whether a running machine (in any process) uses it now
 */
public record CachedImage(String name, List<String> packages, String id, Path directory, long sizeBytes,
                          Optional<Instant> lastUse, boolean current, boolean inUse) {

    /** Checks and copies the components. */
    public CachedImage {
        Objects.requireNonNull(name, "name");
        packages = List.copyOf(packages);
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(lastUse, "lastUse");
    }

    /** @return the name with its packages, as a test names it: {@code debian+bc,jq} */
    public String label() {
        return packages.isEmpty() ? name : name + "+" + String.join(",", packages);
    }
}
