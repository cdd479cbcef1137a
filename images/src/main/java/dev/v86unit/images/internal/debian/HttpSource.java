package dev.v86unit.images.internal.debian;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * Where downloads come from. The image builder needs nothing but GET; tests substitute a source that
 * counts requests or refuses them, to prove that a cached image causes no network access.
 */
@FunctionalInterface
public interface HttpSource {

    /**
     * Starts a GET of {@code uri}, following redirects.
     *
     * @return the response body of a 2xx response; the caller closes it
     * @throws IOException on a network failure or a non-2xx status (the message names both URL and status)
     */
    InputStream open(URI uri) throws IOException;
}
