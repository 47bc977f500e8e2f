package dev.levain.ingest.connector.crm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.levain.events.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One page of {@code GET /v1/contacts}: each contact's exact bytes as the CRM sent them, and the token of
 * the next page ({@code null} on the last one).
 */
public record CrmPage(List<byte[]> contacts, String nextPageToken) {

    /** Reads {@code {"contacts": [...], "next_page_token": "..."|null}}; throws {@link CrmApiException} otherwise. */
    static CrmPage parse(byte[] body) {
        List<byte[]> contacts = null;
        String next = null;
        try (JsonParser parser = Json.mapper().getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("the body is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("contacts")) {
                    contacts = items(parser, body, value);
                } else if (field.equals("next_page_token")) {
                    next = token(value, parser);
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw malformed("there is more after the JSON object");
            }
        } catch (JsonProcessingException e) {
            // Jackson's own message spans lines; health and the pulls API show this one on one line.
            throw new CrmApiException("CRM API answered malformed JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("Reading from a byte array cannot fail", e);
        }
        if (contacts == null) {
            throw malformed("\"contacts\" is missing");
        }
        return new CrmPage(contacts, next);
    }

    private static List<byte[]> items(JsonParser parser, byte[] body, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw malformed("\"contacts\" is not an array");
        }
        List<byte[]> items = new ArrayList<>();
        JsonToken item;
        while ((item = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (item != JsonToken.START_OBJECT) {
                throw malformed("contacts[" + items.size() + "] is not an object");
            }
            int start = (int) parser.currentTokenLocation().getByteOffset();
            parser.skipChildren();
            int end = (int) parser.currentLocation().getByteOffset();
            items.add(Arrays.copyOfRange(body, start, end));
        }
        return items;
    }

    private static String token(JsonToken value, JsonParser parser) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING || parser.getText().isEmpty()) {
            throw malformed("\"next_page_token\" is neither a string nor null");
        }
        return parser.getText();
    }

    private static CrmApiException malformed(String why) {
        return new CrmApiException("CRM API answered a page not as documented: " + why);
    }
}
