package dev.levain.api.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a store-day's sales come from, read from the normalizer's view {@code core.daily_sales_lineage} (its one
 * definition, which normalize-service's lineage API reads too): each sale and refund with its raw events.
 */
@ApplicationScoped
public class LineageRepository {

    /**
     * A raw event behind a sale or refund, with its Kafka coordinates and the row's status (a voided sale or a refund
     * not completed is listed but not counted in the figure).
     */
    public record Origin(String entity, long entityId, long rawEventId, String eventId, String source, String type,
                         String topic, int partition, long offset, OffsetDateTime receivedAt, String status) {

        public boolean counted() {
            return "completed".equals(status);
        }
    }

    private static final String DAILY_SALES = """
            SELECT entity, entity_id, raw_event_id, event_id, source, type, topic, kafka_partition, kafka_offset,
                   received_at, status
            FROM core.daily_sales_lineage
            WHERE store_code = ? AND business_date = ?
            ORDER BY entity, entity_id, received_at, raw_event_id""";

    private final AgroalDataSource dataSource;

    public LineageRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<Origin> dailySales(String storeCode, LocalDate day) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement find = connection.prepareStatement(DAILY_SALES)) {
            find.setString(1, storeCode);
            find.setObject(2, day);
            List<Origin> origins = new ArrayList<>();
            try (ResultSet rows = find.executeQuery()) {
                while (rows.next()) {
                    origins.add(new Origin(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getString(4),
                            rows.getString(5), rows.getString(6), rows.getString(7), rows.getInt(8), rows.getLong(9),
                            rows.getObject(10, OffsetDateTime.class), rows.getString(11)));
                }
            }
            return origins;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the lineage of " + storeCode + " on " + day, e);
        }
    }
}
