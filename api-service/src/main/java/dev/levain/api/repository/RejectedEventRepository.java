package dev.levain.api.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Reads the events the normalizer refused ({@code core.rejected_event}), newest first. */
@ApplicationScoped
public class RejectedEventRepository {

    /** A refused event with its reason; the payload is shown as UTF-8 text, cut to a few kilobytes. */
    public record Rejected(long id, String topic, int partition, long offset, String eventId, String source, String type,
                           String reason, OffsetDateTime rejectedAt, OffsetDateTime replayedAt, String replayNote,
                           String payload) {
    }

    private static final int PAYLOAD_BYTES = 4096;

    private final AgroalDataSource dataSource;

    public RejectedEventRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Up to {@code limit} rejected events with an id below {@code beforeId} (paging), not replayed unless asked. */
    public List<Rejected> page(long beforeId, int limit, boolean includeReplayed) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT id, topic, kafka_partition, kafka_offset, event_id, source, type, reason, rejected_at,
                            replayed_at, replay_note, substring(payload FROM 1 FOR ?)
                     FROM core.rejected_event
                     WHERE id < ? AND (? OR replayed_at IS NULL)
                     ORDER BY id DESC LIMIT ?""")) {
            query.setInt(1, PAYLOAD_BYTES);
            query.setLong(2, beforeId);
            query.setBoolean(3, includeReplayed);
            query.setInt(4, limit);
            List<Rejected> page = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    page.add(new Rejected(rows.getLong(1), rows.getString(2), rows.getInt(3), rows.getLong(4),
                            rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8),
                            rows.getObject(9, OffsetDateTime.class), rows.getObject(10, OffsetDateTime.class),
                            rows.getString(11), RawEventRepository.text(rows.getBytes(12))));
                }
            }
            return page;
        } catch (SQLException e) {
            throw ReadFailures.of("Cannot read rejected events", e);
        }
    }
}
