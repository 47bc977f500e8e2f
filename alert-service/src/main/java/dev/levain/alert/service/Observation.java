package dev.levain.alert.service;

import java.time.OffsetDateTime;

/** An event as alert-service receives it: its CloudEvents attributes, Kafka key and JSON body. */
public record Observation(
        String eventId,
        String topic,
        String type,
        String source,
        String key,
        OffsetDateTime time,
        String payload) {
}
