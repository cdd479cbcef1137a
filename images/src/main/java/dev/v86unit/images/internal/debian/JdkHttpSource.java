package dev.v86unit.images.internal.debian;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@link HttpSource} on {@link HttpClient}; honours the JVM's proxy settings ({@code http.proxyHost} ...). */
public final class JdkHttpSource implements HttpSource {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** Time to the response headers; the body of a 50 MB kernel package may take longer. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(CONNECT_TIMEOUT)
            .proxy(ProxySelector.getDefault())
            .build();

    @Override
    public InputStream open(URI uri) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(RESPONSE_TIMEOUT)
                .header("User-Agent", "v86unit-images")
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while requesting " + uri);
        }
        if (response.statusCode() / 100 != 2) {
            response.body().close();
            throw new HttpStatusException(uri, response.statusCode());
        }
        return response.body();
    }
}
