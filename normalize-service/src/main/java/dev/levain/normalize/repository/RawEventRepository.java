package dev.levain.normalize.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.levain.events.Json;
import dev.levain.normalize.service.RawEnvelope;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.OffsetDateTime;

/** The landing zone {@code core.raw_event}: one row per consumed Kafka record, kept for lineage and replay. */
@ApplicationScoped
public class RawEventRepository {

    private static final String INSERT = """
            INSERT INTO core.raw_event (event_id, source, type, event_time, topic, kafka_partition, kafka_offset,
                                        kafka_key, headers, payload, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
            ON CONFLICT (topic, kafka_partition, kafka_offset) DO UPDATE SET consumed_at = now()
            RETURNING id""";

    private final AgroalDataSource dataSource;

    public RawEventRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores the raw event (once per Kafka record, however often it is consumed) and returns its id. */
    public long land(RawEnvelope raw) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, raw.eventId());
            insert.setString(2, raw.source());
            insert.setString(3, raw.type());
            setTime(insert, 4, raw.time());
            insert.setString(5, raw.topic());
            insert.setInt(6, raw.partition());
            insert.setLong(7, raw.offset());
            insert.setString(8, raw.key());
            insert.setString(9, Json.mapper().writeValueAsString(raw.headers()));
            insert.setBytes(10, raw.payload());
            insert.setTimestamp(11, raw.receivedAt() == null ? null : Timestamp.from(raw.receivedAt()));
            try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw Jdbc.failure("Cannot land raw event " + raw.eventId(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Headers are plain strings", e);
        }
    }

    static void setTime(PreparedStatement statement, int index, OffsetDateTime time) throws SQLException {
        if (time == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setTimestamp(index, Timestamp.from(time.toInstant()));
        }
    }
}
