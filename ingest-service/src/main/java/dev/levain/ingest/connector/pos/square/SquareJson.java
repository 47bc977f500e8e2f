package dev.levain.ingest.connector.pos.square;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.levain.events.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Cuts the exact bytes of objects out of a Square API response, without re-serializing them. */
final class SquareJson {

    static final ObjectMapper MAPPER = Json.mapper();

    private SquareJson() {
    }

    /** A top-level member of a response: its object's bytes, or the elements' bytes of its array. */
    record Member(List<byte[]> values, String text) {
    }

    /** The bytes of the values of top-level member {@code field}, and the text value of {@code textField}. */
    static Member read(byte[] body, String field, String textField) {
        List<byte[]> values = new ArrayList<>();
        String text = null;
        try (JsonParser parser = MAPPER.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("Square answered something other than a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals(field) && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        values.add(slice(parser, body));
                    }
                } else if (name.equals(field) && value == JsonToken.START_OBJECT) {
                    values.add(slice(parser, body));
                } else if (name.equals(textField) && value == JsonToken.VALUE_STRING) {
                    text = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Square answered invalid JSON: " + e.getMessage(), e);
        }
        return new Member(values, text);
    }

    private static byte[] slice(JsonParser parser, byte[] body) throws IOException {
        int start = (int) parser.currentTokenLocation().getByteOffset();
        parser.skipChildren();
        int end = (int) parser.currentLocation().getByteOffset();
        return Arrays.copyOfRange(body, start, end);
    }
}
