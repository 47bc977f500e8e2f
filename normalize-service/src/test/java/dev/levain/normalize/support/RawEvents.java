package dev.levain.normalize.support;

import dev.levain.devstack.test.KafkaTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Publishes raw events to the raw topics the way ingest does: CloudEvents binary mode, key = the entity id. */
public final class RawEvents {

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    /** Publishes {@code payload} with a fresh event id, received now; returns the event id. */
    public String send(String topic, String type, String source, String key, String payload) {
        return send(topic, type, source, key, payload, Instant.now());
    }

    public String send(String topic, String type, String source, String key, String payload, Instant receivedAt) {
        String id = UUID.randomUUID().toString();
        kafka.send(topic, key, payload.getBytes(StandardCharsets.UTF_8), Map.of(
                "ce_specversion", "1.0", "ce_id", id, "ce_type", type, "ce_source", source,
                "ce_receivedat", receivedAt.toString()));
        return id;
    }
}
