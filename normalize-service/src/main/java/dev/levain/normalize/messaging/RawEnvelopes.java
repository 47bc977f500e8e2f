package dev.levain.normalize.messaging;

import dev.levain.events.CloudEvents;
import dev.levain.normalize.service.RawEnvelope;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;

/**
 * Reads the envelope of a raw Kafka record: its {@code ce_*} headers and coordinates. Never
 * fails on a bad header: an unreadable time is left empty and NUL characters, which PostgreSQL
 * text cannot hold, are dropped (the dead-letter copy keeps the original bytes).
 */
final class RawEnvelopes {

    private RawEnvelopes() {
    }

    @SuppressWarnings("unchecked")
    static RawEnvelope from(KafkaRecord<String, byte[]> record) {
        IncomingKafkaRecordMetadata<String, byte[]> kafka = record.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("Raw events come from Kafka"));
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : kafka.getHeaders()) {
            headers.put(text(header.key()), header.value() == null ? null : text(new String(header.value(), StandardCharsets.UTF_8)));
        }
        String eventId = headers.getOrDefault(CloudEvents.header(CloudEvents.ID),
                kafka.getTopic() + "-" + kafka.getPartition() + "@" + kafka.getOffset());
        OffsetDateTime receivedAt = time(headers.get(CloudEvents.header(CloudEvents.RECEIVED_AT)));
        return new RawEnvelope(eventId,
                headers.getOrDefault(CloudEvents.header(CloudEvents.SOURCE), "unknown"),
                headers.getOrDefault(CloudEvents.header(CloudEvents.TYPE), "unknown"),
                time(headers.get(CloudEvents.header(CloudEvents.TIME))),
                receivedAt == null ? kafka.getTimestamp() : receivedAt.toInstant(),
                kafka.getTopic(), kafka.getPartition(), kafka.getOffset(), kafka.getKey() == null ? null : text(kafka.getKey()), headers,
                record.getPayload() == null ? new byte[0] : record.getPayload());
    }

    /** PostgreSQL text cannot hold NUL; a header with one must still land, so it is dropped. */
    private static String text(String value) {
        return value.indexOf('\0') < 0 ? value : value.replace("\0", "");
    }

    private static OffsetDateTime time(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException notAnOffsetTime) {
            try {
                return Instant.parse(value).atOffset(java.time.ZoneOffset.UTC);
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
