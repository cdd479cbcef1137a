package dev.v86unit.internal.host;

import com.fasterxml.jackson.databind.JsonNode;

/** One line from the Node host: the answer to a request, or an event it sends on its own. */
public sealed interface HostMessage {

    /** The answer to request {@code id}: {@code ok} with a body, or an error text from the host. */
    record Response(long id, boolean ok, String error, JsonNode body) implements HostMessage {
    }

    /**
     * Something the host reports unasked: {@code serial} output (with {@code port} and base64
     * {@code data}), {@code hello}, {@code stopped} or {@code fatal}.
     */
    record Event(String name, JsonNode body) implements HostMessage {
    }

    /** An answer that cannot be matched to a request ({@code "id": null}): the host could not read a line. */
    record Unmatched(String error) implements HostMessage {
    }
}
