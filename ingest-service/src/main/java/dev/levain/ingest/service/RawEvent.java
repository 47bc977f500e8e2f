package dev.levain.ingest.service;

import java.time.OffsetDateTime;

/**
 * One event as received from a source, ready to publish: the payload bytes exactly as they
 * arrived plus the CloudEvents attributes derived from them.
 *
 * @param connector   which connector read it ({@code dev.levain.events.Sources}), for dedupe and metrics
 * @param key         the source entity id, the Kafka key (all versions of an entity in one partition)
 * @param contentType the payload's media type ({@code application/json}, {@code text/csv}, ...)
 */
public record RawEvent(
        String connector,
        String topic,
        String key,
        String id,
        String source,
        String type,
        OffsetDateTime time,
        String contentType,
        String contentHash,
        byte[] payload) {

    public static final String JSON = "application/json";
    public static final String CSV = "text/csv";
    public static final String XML = "application/xml";
}
