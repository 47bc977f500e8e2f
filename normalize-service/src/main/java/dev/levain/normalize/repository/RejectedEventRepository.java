package dev.levain.normalize.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.levain.events.Json;
import dev.levain.normalize.service.RawEnvelope;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** {@code core.rejected_event}: raw events that could not be normalized, with the reason, for replay after a fix. */
@ApplicationScoped
public class RejectedEventRepository {

    private static final String INSERT = """
            INSERT INTO core.rejected_event (topic, kafka_partition, kafka_offset, event_id, reason, payload, headers)
            VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)
            ON CONFLICT (topic, kafka_partition, kafka_offset) DO UPDATE SET reason = EXCLUDED.reason, rejected_at = now()""";

    private final AgroalDataSource dataSource;

    public RejectedEventRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void record(RawEnvelope raw, String reason) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setString(1, raw.topic());
            insert.setInt(2, raw.partition());
            insert.setLong(3, raw.offset());
            insert.setString(4, raw.eventId());
            insert.setString(5, reason);
            insert.setBytes(6, raw.payload());
            insert.setString(7, Json.mapper().writeValueAsString(raw.headers()));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("Cannot record rejected event " + raw.eventId(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Headers are plain strings", e);
        }
    }
}
