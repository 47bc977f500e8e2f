package dev.levain.ingest.service;

import java.time.OffsetDateTime;

/**
 * One event as received from a source, ready to publish: the payload bytes exactly as they
 * arrived plus the CloudEvents attributes derived from them.
 */
public record RawEvent(
        String topic,
        String key,
        String id,
        String source,
        String type,
        OffsetDateTime time,
        String contentHash,
        byte[] payload) {
}
