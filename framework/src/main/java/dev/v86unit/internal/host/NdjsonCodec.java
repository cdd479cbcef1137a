package dev.v86unit.internal.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The wire format between the JVM and the Node host: one JSON object per line, bytes as base64.
 * Requests carry {@code id} and {@code op}; the host answers with the same {@code id} and
 * {@code ok}, or sends events with {@code event}.
 */
public final class NdjsonCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] OUTPUT_EVENT = "{\"event\":\"output\",".getBytes(StandardCharsets.ISO_8859_1);

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
     * @return the message on one line from the host, as bytes (UTF-8, without the newline)
     * @throws IllegalArgumentException if the line is not a JSON object of the protocol
     */
    public static HostMessage decode(byte[] line, int offset, int length) {
        HostMessage.Event output = decodeOutput(line, offset, length);
        return output != null ? output : decode(new String(line, offset, length, StandardCharsets.UTF_8));
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

    /** @return the bytes of a base64 field (or of one that {@link #decode(byte[], int, int)} decoded), empty if it is missing */
    public static byte[] bytes(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value instanceof BinaryNode binary) {
            return binary.binaryValue();
        }
        return value == null || value.isNull() ? new byte[0] : Base64.getDecoder().decode(value.asText());
    }

    /**
     * Output events carry most of the bytes: {@code {"event":"output","exec":"<nonce>","s":"o","data":"<base64>"}}
     * (or {@code "job":<n>}), as the host's JSON.stringify writes them. Read from the line's bytes,
     * with {@code data} decoded straight into a {@link BinaryNode}, one costs a quarter of a tree of
     * a String (measured, 20 events of 448 KB: 13 ms against 50 ms; the JVM reads while the guest
     * runs, but what it has not read when the command ends delays the answer).
     *
     * @return the event, or null if the line is not an output event in exactly that form (then the
     *         general path reads it)
     */
    private static HostMessage.Event decodeOutput(byte[] line, int offset, int length) {
        int end = offset + length;
        if (length < OUTPUT_EVENT.length || !Arrays.equals(line, offset, offset + OUTPUT_EVENT.length, OUTPUT_EVENT, 0, OUTPUT_EVENT.length)) {
            return null;
        }
        ObjectNode body = MAPPER.createObjectNode().put("event", "output");
        int at = offset + OUTPUT_EVENT.length;
        while (true) {
            if (at >= end || line[at] != '"') {
                return null;
            }
            int keyEnd = indexOf(line, (byte) '"', at + 1, end);
            if (keyEnd < 0 || keyEnd + 1 >= end || line[keyEnd + 1] != ':') {
                return null;
            }
            String key = new String(line, at + 1, keyEnd - at - 1, StandardCharsets.ISO_8859_1);
            at = keyEnd + 2;
            if (at < end && line[at] == '"') {
                int valueEnd = indexOf(line, (byte) '"', at + 1, end);
                if (valueEnd < 0 || indexOf(line, (byte) '\\', at + 1, valueEnd) >= 0) {
                    return null;
                }
                if (key.equals("data")) {
                    ByteBuffer decoded;
                    try {
                        decoded = Base64.getDecoder().decode(ByteBuffer.wrap(line, at + 1, valueEnd - at - 1));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("an output event's data is not base64 (" + e.getMessage() + "): "
                                + abbreviate(new String(line, offset, Math.min(length, 400), StandardCharsets.UTF_8)), e);
                    }
                    byte[] bytes = decoded.array().length == decoded.remaining() ? decoded.array() : Arrays.copyOfRange(decoded.array(),
                            decoded.position(), decoded.limit());
                    body.put(key, bytes);
                } else {
                    body.put(key, new String(line, at + 1, valueEnd - at - 1, StandardCharsets.UTF_8));
                }
                at = valueEnd + 1;
            } else {
                int valueEnd = at;
                while (valueEnd < end && line[valueEnd] >= '0' && line[valueEnd] <= '9') {
                    valueEnd++;
                }
                if (valueEnd == at || valueEnd - at > 9) {
                    return null;
                }
                body.put(key, Integer.parseInt(new String(line, at, valueEnd - at, StandardCharsets.ISO_8859_1)));
                at = valueEnd;
            }
            if (at == end - 1 && line[at] == '}') {
                return new HostMessage.Event("output", body);
            }
            if (at >= end || line[at] != ',') {
                return null;
            }
            at++;
        }
    }

    private static int indexOf(byte[] bytes, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
