package dev.v86unit.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NdjsonCodecTest {

    @Test
    void encodes_a_request_on_one_line_with_id_and_op() throws Exception {
        String line = NdjsonCodec.encodeRequest(7, "writeFile", NdjsonCodec.object().put("path", "/a\nb").put("id", 99));
        assertThat(line).doesNotContain("\n");
        var tree = new ObjectMapper().readTree(line);
        assertThat(tree.get("id").asLong()).isEqualTo(7);
        assertThat(tree.get("op").asText()).isEqualTo("writeFile");
        assertThat(tree.get("path").asText()).isEqualTo("/a\nb");
    }

    @Test
    void decodes_a_successful_response() {
        HostMessage message = NdjsonCodec.decode("{\"id\":3,\"ok\":true,\"size\":5}");
        assertThat(message).isInstanceOfSatisfying(HostMessage.Response.class, response -> {
            assertThat(response.id()).isEqualTo(3);
            assertThat(response.ok()).isTrue();
            assertThat(response.body().get("size").asInt()).isEqualTo(5);
        });
    }

    @Test
    void decodes_an_error_response_with_its_text() {
        HostMessage message = NdjsonCodec.decode("{\"id\":4,\"ok\":false,\"error\":\"no machine\"}");
        assertThat(message).isEqualTo(new HostMessage.Response(4, false, "no machine", ((HostMessage.Response) message).body()));
    }

    @Test
    void decodes_serial_events_and_their_bytes() {
        byte[] bytes = {0, 10, 13, (byte) 0xff, 'a'};
        HostMessage message = NdjsonCodec.decode("{\"event\":\"serial\",\"port\":0,\"data\":\"" + NdjsonCodec.base64(bytes) + "\"}");
        assertThat(message).isInstanceOfSatisfying(HostMessage.Event.class, event -> {
            assertThat(event.name()).isEqualTo("serial");
            assertThat(NdjsonCodec.bytes(event.body(), "data")).containsExactly(bytes);
        });
    }

    @Test
    void decodes_output_events_from_their_bytes_as_the_general_path_does() {
        byte[] bytes = new byte[70_000];
        new java.util.Random(7).nextBytes(bytes);
        for (String fields : new String[] {"\"exec\":\"0a1b2c3d4e5f6789\",\"s\":\"o\"", "\"job\":12,\"s\":\"e\""}) {
            String line = "{\"event\":\"output\"," + fields + ",\"data\":\"" + NdjsonCodec.base64(bytes) + "\"}";
            byte[] framed = ("xx" + line + "\n").getBytes(StandardCharsets.UTF_8);
            HostMessage fast = NdjsonCodec.decode(framed, 2, framed.length - 3);
            HostMessage.Event general = (HostMessage.Event) NdjsonCodec.decode(line);
            assertThat(fast).isInstanceOfSatisfying(HostMessage.Event.class, event -> {
                assertThat(event.name()).isEqualTo("output");
                assertThat(NdjsonCodec.bytes(event.body(), "data")).containsExactly(bytes);
                for (String field : new String[] {"exec", "job", "s"}) {
                    assertThat(event.body().path(field)).isEqualTo(general.body().path(field));
                }
            });
        }
    }

    @Test
    void reads_other_forms_of_output_events_by_the_general_path() {
        // an escaped character, a key order of another writer, spaces: still the same event
        for (String line : new String[] {"{\"event\":\"output\",\"exec\":\"a\\u0062\",\"s\":\"o\",\"data\":\"YQ==\"}",
                "{\"event\":\"output\",\"data\":\"YQ==\",\"s\":\"o\",\"exec\":\"ab\"}",
                "{\"event\":\"output\", \"exec\": \"ab\", \"s\": \"o\", \"data\": \"YQ==\"}"}) {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            assertThat(NdjsonCodec.decode(bytes, 0, bytes.length)).isInstanceOfSatisfying(HostMessage.Event.class, event -> {
                assertThat(event.body().path("exec").asText()).isEqualTo("ab");
                assertThat(NdjsonCodec.bytes(event.body(), "data")).containsExactly('a');
            });
        }
        byte[] broken = "{\"event\":\"output\",\"exec\":\"ab\",\"data\":\"YQ==\"".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> NdjsonCodec.decode(broken, 0, broken.length)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
        byte[] notBase64 = "{\"event\":\"output\",\"exec\":\"ab\",\"s\":\"o\",\"data\":\"Y?==\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> NdjsonCodec.decode(notBase64, 0, notBase64.length)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not base64").hasMessageContaining("\"exec\":\"ab\"");
    }

    @Test
    void decodes_an_answer_to_an_unreadable_request() {
        assertThat(NdjsonCodec.decode("{\"id\":null,\"ok\":false,\"error\":\"not a JSON request\"}"))
                .isEqualTo(new HostMessage.Unmatched("not a JSON request"));
    }

    @Test
    void rejects_lines_outside_the_protocol_with_the_line_in_the_message() {
        assertThatThrownBy(() -> NdjsonCodec.decode("Debugger attached."))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Debugger attached.");
        assertThatThrownBy(() -> NdjsonCodec.decode("[1,2]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> NdjsonCodec.decode("{\"ok\":true}")).hasMessageContaining("neither a response");
    }

    @Test
    void missing_bytes_are_empty() {
        assertThat(NdjsonCodec.bytes(NdjsonCodec.object(), "data")).isEmpty();
        assertThat(new String(NdjsonCodec.bytes(NdjsonCodec.object().put("d", NdjsonCodec.base64("hé".getBytes(StandardCharsets.UTF_8))), "d"),
                StandardCharsets.UTF_8)).isEqualTo("hé");
    }
}
