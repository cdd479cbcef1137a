package dev.v86unit.images.internal.debian;

import java.io.IOException;
import java.net.URI;

/** A non-2xx HTTP response. Only server errors (5xx) are worth a retry. */
public final class HttpStatusException extends IOException {

    private final int status;

    public HttpStatusException(URI uri, int status) {
        super("HTTP " + status + " for " + uri);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
