package dev.levain.normalize.service;

import java.time.OffsetDateTime;
import java.util.Map;

/** A raw event as consumed: CloudEvents attributes, Kafka coordinates and the untouched payload. */
public record RawEnvelope(
        String eventId,
        String source,
        String type,
        OffsetDateTime time,
        OffsetDateTime receivedAt,
        String topic,
        int partition,
        long offset,
        String key,
        Map<String, String> headers,
        byte[] payload) {
}
