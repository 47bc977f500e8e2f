package dev.levain.normalize.repository;

import dev.levain.normalize.service.RawEnvelope;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** {@code core.rejected_event}: raw events that could not be normalized, with why, kept for a replay after a fix. */
@ApplicationScoped
public class RejectedEventRepository {

    /** A raw event and the reason it was rejected. */
    public record Rejection(RawEnvelope raw, String reason) {
    }

    /** A stored rejection, to replay. */
    public record Stored(long id, RawEnvelope raw, String reason) {
    }

    // A record rejected again on a replay keeps one row, with the latest reason.
    private static final String RECORD = """
            INSERT INTO core.rejected_event AS r (topic, kafka_partition, kafka_offset, event_id, reason, payload, headers,
                                                  type, source, received_at, kafka_key)
            SELECT t.topic, t.kafka_partition, t.kafka_offset, t.event_id, t.reason, t.payload,
                   t.headers::jsonb, t.type, t.source, t.received_at::timestamptz, t.kafka_key
            FROM unnest(?::text[], ?::int[], ?::bigint[], ?::text[], ?::text[], ?::bytea[], ?::text[], ?::text[],
                        ?::text[], ?::text[], ?::text[])
                 AS t(topic, kafka_partition, kafka_offset, event_id, reason, payload, headers, type, source,
                      received_at, kafka_key)
            ON CONFLICT (topic, kafka_partition, kafka_offset)
                DO UPDATE SET reason = EXCLUDED.reason, rejected_at = now(), replayed_at = NULL""";
    private static final String PAGE = """
            SELECT id, event_id, source, type, received_at, topic, kafka_partition, kafka_offset, kafka_key,
                   headers::text, payload, reason
            FROM core.rejected_event
            WHERE id > ? AND replayed_at IS NULL AND (?::text IS NULL OR type = ?)
              AND (?::text IS NULL OR reason LIKE '%' || ? || '%')
            ORDER BY id LIMIT ?""";
    private static final String MARK_REPLAYED = """
            UPDATE core.rejected_event SET replayed_at = now(), replay_note = 'normalized on replay'
            WHERE (topic, kafka_partition, kafka_offset) IN
                  (SELECT * FROM unnest(?::text[], ?::int[], ?::bigint[]))""";

    /** Stores the rejections. */
    public void record(Connection connection, List<Rejection> rejections) throws SQLException {
        if (rejections.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(RECORD)) {
            insert.setArray(1, Arrays.text(connection, rejections, r -> r.raw().topic()));
            insert.setArray(2, Arrays.integer(connection, rejections, r -> r.raw().partition()));
            insert.setArray(3, Arrays.bigint(connection, rejections, r -> r.raw().offset()));
            insert.setArray(4, Arrays.text(connection, rejections, r -> r.raw().eventId()));
            insert.setArray(5, Arrays.text(connection, rejections, r -> r.reason().replace("\0", "")));
            insert.setArray(6, connection.createArrayOf("bytea", rejections.stream().map(r -> r.raw().payload()).toArray(byte[][]::new)));
            insert.setArray(7, Arrays.text(connection, rejections, r -> RawEventRepository.headers(r.raw())));
            insert.setArray(8, Arrays.text(connection, rejections, r -> r.raw().type()));
            insert.setArray(9, Arrays.text(connection, rejections, r -> r.raw().source()));
            insert.setArray(10, Arrays.text(connection, rejections, r -> Arrays.iso(r.raw().receivedAt())));
            insert.setArray(11, Arrays.text(connection, rejections, r -> r.raw().key()));
            insert.executeUpdate();
        }
    }

    /** Rejections not yet normalized by a replay, after {@code afterId}, optionally of one type or reason. */
    public List<Stored> page(Connection connection, String type, String reasonContains, long afterId, int limit)
            throws SQLException {
        try (PreparedStatement page = connection.prepareStatement(PAGE)) {
            page.setLong(1, afterId);
            page.setString(2, type);
            page.setString(3, type);
            page.setString(4, reasonContains);
            page.setString(5, reasonContains);
            page.setInt(6, limit);
            List<Stored> stored = new ArrayList<>();
            try (ResultSet rows = page.executeQuery()) {
                while (rows.next()) {
                    OffsetDateTime receivedAt = rows.getObject(5, OffsetDateTime.class);
                    stored.add(new Stored(rows.getLong(1), new RawEnvelope(rows.getString(2), rows.getString(3),
                            rows.getString(4), null, receivedAt == null ? null : receivedAt.withOffsetSameInstant(ZoneOffset.UTC).toInstant(),
                            rows.getString(6), rows.getInt(7), rows.getLong(8), rows.getString(9),
                            RawEventRepository.readHeaders(rows.getString(10)), rows.getBytes(11)), rows.getString(12)));
                }
            }
            return stored;
        }
    }

    /** Marks these rejected records as normalized by a replay. */
    public void markReplayed(Connection connection, List<RawEnvelope> raws) throws SQLException {
        if (raws.isEmpty()) {
            return;
        }
        try (PreparedStatement mark = connection.prepareStatement(MARK_REPLAYED)) {
            mark.setArray(1, Arrays.text(connection, raws, RawEnvelope::topic));
            mark.setArray(2, Arrays.integer(connection, raws, RawEnvelope::partition));
            mark.setArray(3, Arrays.bigint(connection, raws, RawEnvelope::offset));
            mark.executeUpdate();
        }
    }
}
