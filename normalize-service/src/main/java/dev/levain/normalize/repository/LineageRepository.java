package dev.levain.normalize.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** {@code core.lineage}: which raw events each sourced row came from. */
@ApplicationScoped
public class LineageRepository {

    /** A raw event behind a row, with its Kafka coordinates. */
    public record Origin(String entity, long entityId, long rawEventId, String eventId, String source, String type,
                         String topic, int partition, long offset, OffsetDateTime receivedAt) {
    }

    private static final String RECORD = """
            INSERT INTO core.lineage (entity, entity_id, raw_event_id)
            SELECT * FROM unnest(?::text[], ?::bigint[], ?::bigint[]) ORDER BY 1, 2, 3
            ON CONFLICT DO NOTHING""";
    private static final String ORIGINS = """
            SELECT l.entity, l.entity_id, r.id, r.event_id, r.source, r.type, r.topic, r.kafka_partition, r.kafka_offset,
                   r.received_at
            FROM core.lineage l JOIN core.raw_event r ON r.id = l.raw_event_id
            WHERE l.entity = ? AND l.entity_id = ANY (?)
            ORDER BY l.entity_id, r.received_at, r.id""";

    // The view core.daily_sales_lineage (V10) is the one definition of a store-day's sales and refunds.
    private static final String DAILY_SALES = """
            SELECT entity, entity_id, raw_event_id, event_id, source, type, topic, kafka_partition, kafka_offset,
                   received_at
            FROM core.daily_sales_lineage
            WHERE store_code = ? AND business_date = ?
            ORDER BY entity, entity_id, received_at, raw_event_id""";

    /** Records the links. */
    public void record(Connection connection, List<Lineage> links) throws SQLException {
        if (links.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(RECORD)) {
            insert.setArray(1, Arrays.text(connection, links, Lineage::entity));
            insert.setArray(2, Arrays.bigint(connection, links, Lineage::entityId));
            insert.setArray(3, Arrays.bigint(connection, links, Lineage::rawEventId));
            insert.executeUpdate();
        }
    }

    /** The raw events behind these rows of {@code entity}, oldest first. */
    public List<Origin> origins(Connection connection, String entity, List<Long> ids) throws SQLException {
        try (PreparedStatement find = connection.prepareStatement(ORIGINS)) {
            find.setString(1, entity);
            find.setArray(2, Arrays.ids(connection, ids));
            return read(find);
        }
    }

    /** The raw events behind a store's business day: its sales and the refunds counted that day. */
    public List<Origin> dailySales(Connection connection, String storeCode, java.time.LocalDate day) throws SQLException {
        try (PreparedStatement find = connection.prepareStatement(DAILY_SALES)) {
            find.setString(1, storeCode);
            find.setObject(2, day);
            return read(find);
        }
    }

    private static List<Origin> read(PreparedStatement find) throws SQLException {
        List<Origin> origins = new ArrayList<>();
        try (ResultSet rows = find.executeQuery()) {
            while (rows.next()) {
                origins.add(new Origin(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getString(4),
                        rows.getString(5), rows.getString(6), rows.getString(7), rows.getInt(8), rows.getLong(9),
                        rows.getObject(10, OffsetDateTime.class)));
            }
        }
        return origins;
    }
}
