package dev.levain.ingest.connector.inventory;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.levain.events.Json;
import dev.levain.ingest.service.FieldError;
import dev.levain.ingest.service.InvalidInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A JSON object listing entries, {@code {"<field>": [...], "page": 1, "total_pages": 3}}: the exact bytes
 * of each entry (so an entry's event is the same whichever page or webhook it came in) and the paging.
 *
 * @param found whether the object has {@code field} at all
 */
record JsonListing(List<byte[]> entries, int page, int totalPages, boolean found) {

    /** Throws {@link InvalidInputException} naming what is wrong when {@code body} is no such object. */
    static JsonListing split(byte[] body, String field) {
        if (body == null || body.length == 0) {
            throw invalid("body", "is empty; a JSON object is expected");
        }
        List<byte[]> entries = new ArrayList<>();
        boolean found = false;
        int page = 1;
        int totalPages = 1;
        try (JsonParser parser = Json.mapper().getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("body", "must be a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals(field)) {
                    if (value != JsonToken.START_ARRAY) {
                        throw invalid(field, "must be an array");
                    }
                    found = true;
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        int start = (int) parser.currentTokenLocation().getByteOffset();
                        parser.skipChildren();
                        entries.add(Arrays.copyOfRange(body, start, (int) parser.currentLocation().getByteOffset()));
                    }
                } else if (name.equals("page")) {
                    page = positiveInt(parser, value, name);
                } else if (name.equals("total_pages")) {
                    totalPages = positiveInt(parser, value, name);
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw invalid("body", "has content after the JSON object");
            }
        } catch (JsonProcessingException e) {
            throw invalid("body", "is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new IllegalStateException("Reading from a byte array cannot fail", e);
        }
        return new JsonListing(entries, page, totalPages, found);
    }

    private static int positiveInt(JsonParser parser, JsonToken value, String name) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT || parser.getLongValue() < 1 || parser.getLongValue() > Integer.MAX_VALUE) {
            throw invalid(name, "must be a whole number >= 1");
        }
        return parser.getIntValue();
    }

    private static InvalidInputException invalid(String field, String message) {
        return new InvalidInputException(List.of(new FieldError(field, message)));
    }
}
