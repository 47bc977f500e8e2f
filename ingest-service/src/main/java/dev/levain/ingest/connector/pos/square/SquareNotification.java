package dev.levain.ingest.connector.pos.square;

import dev.levain.events.EventIds;
import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.ingest.connector.ContentFingerprint;
import dev.levain.ingest.service.RawEvent;
import java.time.OffsetDateTime;

/**
 * One Square webhook notification: the fields Levain routes on and the bytes exactly as received.
 *
 * @param tenant    the location id the notification is about, else the merchant id
 * @param entityKey the Kafka key: {@code <location>/<order id>} for order-related types, so the notification and
 *                  its order share a partition
 * @param orderId   the order to fetch (order, payment and refund types), or null
 */
public record SquareNotification(String eventId, String type, OffsetDateTime createdAt, String tenant,
                                 String entityKey, String orderId, byte[] body) {

    public SquareEventKind kind() {
        return SquareEventKind.of(type);
    }

    /** The notification as a raw event: its id is Square's {@code event_id}, so Square's redeliveries dedupe. */
    public RawEvent toRawEvent() {
        return new RawEvent(Sources.POS_SQUARE, kind().topic(), entityKey, eventId, null,
                Sources.uri(Sources.POS_SQUARE, tenant), EventTypes.RAW_POS_SQUARE_NOTIFICATION, createdAt,
                RawEvent.JSON, EventIds.sha256(body), ContentFingerprint.ofJson(body), body);
    }
}
