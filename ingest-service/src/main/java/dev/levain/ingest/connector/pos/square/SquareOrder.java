package dev.levain.ingest.connector.pos.square;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levain.events.EventIds;
import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.events.Topics;
import dev.levain.ingest.connector.ContentFingerprint;
import dev.levain.ingest.service.RawEvent;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * One version of a Square order as its API returned it. {@code bytes} are the exact bytes of the
 * {@code order} object inside the API response (money stays in minor units, as Square sends it); the
 * same version of the same order has the same bytes whether fetched alone or found by a search.
 */
public record SquareOrder(String id, String locationId, String version, OffsetDateTime time, byte[] bytes) {

    /** Reads the identifying fields of an order object's bytes. */
    static SquareOrder of(byte[] bytes) {
        JsonNode order;
        try {
            order = SquareJson.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("Square returned an order that is not JSON", e);
        }
        String id = text(order, "id");
        String locationId = text(order, "location_id");
        if (id == null || locationId == null) {
            throw new IllegalArgumentException("Square returned an order without id or location_id");
        }
        // Square bumps version on every change; without one, the content itself tells versions apart.
        String version = order.hasNonNull("version") ? order.get("version").asText() : EventIds.sha256(bytes);
        return new SquareOrder(id, locationId, version, time(order), bytes);
    }

    /**
     * The order as a raw event: id = stable hash of source + order id + version, so the webhook path and the
     * reconciliation publish one event per version, whichever comes first.
     */
    public RawEvent toRawEvent() {
        String source = Sources.uri(Sources.POS_SQUARE, locationId);
        return new RawEvent(Sources.POS_SQUARE, Topics.RAW_POS, locationId + "/" + id,
                EventIds.stableId(source, id, version), version, source, EventTypes.RAW_POS_SQUARE_ORDER, time,
                RawEvent.JSON, EventIds.sha256(bytes), ContentFingerprint.ofJson(bytes), bytes);
    }

    /** When this version came to be: {@code updated_at}, else {@code created_at}. */
    private static OffsetDateTime time(JsonNode order) {
        for (String field : new String[] {"updated_at", "created_at"}) {
            String value = text(order, field);
            if (value != null) {
                try {
                    return OffsetDateTime.parse(value);
                } catch (DateTimeParseException e) {
                    // Try the next field.
                }
            }
        }
        throw new IllegalArgumentException("Square returned an order without a readable updated_at or created_at");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
