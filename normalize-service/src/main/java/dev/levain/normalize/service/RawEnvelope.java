package dev.levain.normalize.service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A raw event as consumed: CloudEvents attributes, Kafka coordinates and the untouched payload.
 * {@code receivedAt} is when ingest accepted it, or the Kafka record's timestamp when the
 * producer did not say.
 */
public record RawEnvelope(
        String eventId,
        String source,
        String type,
        OffsetDateTime time,
        Instant receivedAt,
        String topic,
        int partition,
        long offset,
        String key,
        Map<String, String> headers,
        byte[] payload) {
}
