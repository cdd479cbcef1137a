package dev.v86unit.tooling;

import dev.v86unit.V86Exception;

/** {@link Cache#prune} could not take the cache lock in time: machines were starting or images building. */
public class CacheInUseException extends V86Exception {

    private static final long serialVersionUID = 1L;

    /** @param message which cache, and for how long it was tried */
    public CacheInUseException(String message) {
        super(message);
    }
}
