package dev.levain.normalize.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.levain.events.Json;
import dev.levain.normalize.service.RawEnvelope;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The landing zone {@code core.raw_event}: one row per consumed Kafka record, kept for lineage and replay. */
@ApplicationScoped
public class RawEventRepository {

    // DO UPDATE (not NOTHING) so that RETURNING also gives the id of a record landed before.
    private static final String LAND = """
            INSERT INTO core.raw_event AS r (event_id, source, type, event_time, topic, kafka_partition, kafka_offset,
                                             kafka_key, headers, payload, received_at)
            SELECT t.event_id, t.source, t.type, t.event_time::timestamptz, t.topic, t.kafka_partition, t.kafka_offset,
                   t.kafka_key, t.headers::jsonb, t.payload, t.received_at::timestamptz
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::bigint[], ?::text[],
                        ?::text[], ?::bytea[], ?::text[])
                 AS t(event_id, source, type, event_time, topic, kafka_partition, kafka_offset, kafka_key, headers,
                      payload, received_at)
            ON CONFLICT (topic, kafka_partition, kafka_offset) DO UPDATE SET consumed_at = r.consumed_at
            RETURNING id, topic, kafka_partition, kafka_offset""";
    private static final String PAGE = """
            SELECT id, event_id, source, type, event_time, received_at, topic, kafka_partition, kafka_offset, kafka_key,
                   headers::text, payload
            FROM core.raw_event
            WHERE id > ? AND (?::text IS NULL OR source LIKE ? || '%') AND (?::text IS NULL OR type = ?)
              AND (?::timestamptz IS NULL OR received_at >= ?::timestamptz)
              AND (?::timestamptz IS NULL OR received_at < ?::timestamptz)
            ORDER BY id LIMIT ?""";

    /** Which raw events to read again, all optional: a source prefix, a type, a [from, to) window of receipt. */
    public record Filter(String sourcePrefix, String type, Instant from, Instant to) {
    }

    /** Lands the records (once per Kafka record, however often consumed); returns their ids in input order. */
    public List<Long> land(Connection connection, List<RawEnvelope> raws) throws SQLException {
        if (raws.isEmpty()) {
            return List.of();
        }
        Map<String, Long> ids = new HashMap<>();
        try (PreparedStatement land = connection.prepareStatement(LAND)) {
            land.setArray(1, Arrays.text(connection, raws, RawEnvelope::eventId));
            land.setArray(2, Arrays.text(connection, raws, RawEnvelope::source));
            land.setArray(3, Arrays.text(connection, raws, RawEnvelope::type));
            land.setArray(4, Arrays.text(connection, raws, r -> Arrays.iso(r.time())));
            land.setArray(5, Arrays.text(connection, raws, RawEnvelope::topic));
            land.setArray(6, Arrays.integer(connection, raws, RawEnvelope::partition));
            land.setArray(7, Arrays.bigint(connection, raws, RawEnvelope::offset));
            land.setArray(8, Arrays.text(connection, raws, RawEnvelope::key));
            land.setArray(9, Arrays.text(connection, raws, RawEventRepository::headers));
            land.setArray(10, connection.createArrayOf("bytea", raws.stream().map(RawEnvelope::payload).toArray(byte[][]::new)));
            land.setArray(11, Arrays.text(connection, raws, r -> Arrays.iso(r.receivedAt())));
            try (ResultSet rows = land.executeQuery()) {
                while (rows.next()) {
                    ids.put(coordinates(rows.getString(2), rows.getInt(3), rows.getLong(4)), rows.getLong(1));
                }
            }
        }
        List<Long> ordered = new ArrayList<>(raws.size());
        for (RawEnvelope raw : raws) {
            ordered.add(ids.get(coordinates(raw.topic(), raw.partition(), raw.offset())));
        }
        return ordered;
    }

    /** The next landed events after {@code afterId} that match {@code filter}, in landing order. */
    public List<Landed> page(Connection connection, Filter filter, long afterId, int limit) throws SQLException {
        try (PreparedStatement page = connection.prepareStatement(PAGE)) {
            page.setLong(1, afterId);
            page.setString(2, filter.sourcePrefix());
            page.setString(3, filter.sourcePrefix());
            page.setString(4, filter.type());
            page.setString(5, filter.type());
            page.setString(6, Arrays.iso(filter.from()));
            page.setString(7, Arrays.iso(filter.from()));
            page.setString(8, Arrays.iso(filter.to()));
            page.setString(9, Arrays.iso(filter.to()));
            page.setInt(10, limit);
            List<Landed> landed = new ArrayList<>();
            try (ResultSet rows = page.executeQuery()) {
                while (rows.next()) {
                    landed.add(new Landed(rows.getLong(1), envelope(rows)));
                }
            }
            return landed;
        }
    }

    /** A landed raw event and its id. */
    public record Landed(long id, RawEnvelope raw) {
    }

    private static RawEnvelope envelope(ResultSet rows) throws SQLException {
        OffsetDateTime time = rows.getObject(5, OffsetDateTime.class);
        OffsetDateTime receivedAt = rows.getObject(6, OffsetDateTime.class);
        return new RawEnvelope(rows.getString(2), rows.getString(3), rows.getString(4),
                time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC),
                receivedAt == null ? null : receivedAt.toInstant(), rows.getString(7), rows.getInt(8), rows.getLong(9),
                rows.getString(10), readHeaders(rows.getString(11)), rows.getBytes(12));
    }

    static String headers(RawEnvelope raw) {
        try {
            return Json.mapper().writeValueAsString(raw.headers());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Headers are plain strings", e);
        }
    }

    static Map<String, String> readHeaders(String json) {
        try {
            return Json.mapper().readValue(json, Json.mapper().getTypeFactory()
                    .constructMapType(LinkedHashMap.class, String.class, String.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored headers are a JSON object of strings", e);
        }
    }

    private static String coordinates(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }
}
