package dev.v86unit.internal.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;

/**
 * The wire format between the JVM and the Node host: one JSON object per line, bytes as base64.
 * Requests carry {@code id} and {@code op}; the host answers with the same {@code id} and
 * {@code ok}, or sends events with {@code event}.
 */
public final class NdjsonCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private NdjsonCodec() {
    }

    /** @return a new empty object to fill with a request's fields */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** @return the request as one line of JSON, without the trailing newline */
    public static String encodeRequest(long id, String op, ObjectNode fields) {
        ObjectNode request = MAPPER.createObjectNode();
        request.put("id", id);
        request.put("op", op);
        if (fields != null) {
            fields.properties().forEach(field -> {
                if (!field.getKey().equals("id") && !field.getKey().equals("op")) {
                    request.set(field.getKey(), field.getValue());
                }
            });
        }
        try {
            // Jackson's compact output escapes control characters, so a request never spans two lines.
            return MAPPER.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode request " + op, e);
        }
    }

    /**
     * @return the message on one line from the host
     * @throws IllegalArgumentException if the line is not a JSON object of the protocol
     */
    public static HostMessage decode(String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + abbreviate(line), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object: " + abbreviate(line));
        }
        if (node.hasNonNull("event")) {
            return new HostMessage.Event(node.get("event").asText(), node);
        }
        if (node.has("id")) {
            String error = node.path("error").asText(null);
            if (node.get("id").isNull()) {
                return new HostMessage.Unmatched(error);
            }
            if (!node.get("id").canConvertToLong()) {
                throw new IllegalArgumentException("id is not a number: " + abbreviate(line));
            }
            return new HostMessage.Response(node.get("id").asLong(), node.path("ok").asBoolean(false), error, node);
        }
        throw new IllegalArgumentException("neither a response (id) nor an event: " + abbreviate(line));
    }

    /** @return the bytes as base64, as the protocol carries them */
    public static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** @return the bytes of a base64 field, empty if the field is missing */
    public static byte[] bytes(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? new byte[0] : Base64.getDecoder().decode(value.asText());
    }

    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
