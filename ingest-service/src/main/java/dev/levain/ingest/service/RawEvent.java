package dev.levain.ingest.service;

import dev.levain.events.EventIds;
import java.time.OffsetDateTime;

/**
 * One event as received from a source, ready to publish: the payload bytes exactly as they
 * arrived plus the CloudEvents attributes derived from them.
 *
 * @param connector   which connector read it ({@code dev.levain.events.Sources}), for dedupe and metrics
 * @param key         the source entity id, the Kafka key (all versions of an entity in one partition)
 * @param version     the entity's version the id stands for, as the source wrote it (a sale's {@code version},
 *                    a contact's or a level's {@code updated_at}); null when the id is the source's own event id
 *                    or covers the content
 * @param contentType the payload's media type ({@code application/json}, {@code text/csv}, ...)
 * @param contentHash SHA-256 of the payload bytes (the {@code contenthash} extension)
 * @param fingerprint what the payload says, whatever its layout ({@code ContentFingerprint}): one id with
 *                    another fingerprint is a changed record sent under a version already accepted
 */
public record RawEvent(
        String connector,
        String topic,
        String key,
        String id,
        String version,
        String source,
        String type,
        OffsetDateTime time,
        String contentType,
        String contentHash,
        String fingerprint,
        byte[] payload) {

    public static final String JSON = "application/json";
    public static final String CSV = "text/csv";
    public static final String XML = "application/xml";

    /**
     * This changed record as an event of its own: its id adds the fingerprint, so it is published once
     * beside the version accepted before, and the normalizer orders the two by receipt.
     */
    public RawEvent correction() {
        return new RawEvent(connector, topic, key, EventIds.stableId(id, fingerprint), version, source, type, time,
                contentType, contentHash, fingerprint, payload);
    }
}
