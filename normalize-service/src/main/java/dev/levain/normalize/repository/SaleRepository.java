package dev.levain.normalize.repository;

import dev.levain.events.sales.SaleRecorded;
import dev.levain.normalize.mapping.CanonicalSale;
import dev.levain.normalize.mapping.CanonicalSaleLine;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code core.sale} and its {@code core.sale_line}s. */
@ApplicationScoped
public class SaleRepository {

    // A version not newer than the stored one changes nothing: replays and late duplicates are absorbed.
    private static final String UPSERT = """
            INSERT INTO core.sale (source, source_id, store_id, customer_id, occurred_at, business_date, status,
                                   currency, gross, discount, net, version, received_at, raw_event_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (source, source_id) DO UPDATE SET
                store_id = EXCLUDED.store_id, customer_id = EXCLUDED.customer_id,
                occurred_at = EXCLUDED.occurred_at, business_date = EXCLUDED.business_date,
                status = EXCLUDED.status, currency = EXCLUDED.currency, gross = EXCLUDED.gross,
                discount = EXCLUDED.discount, net = EXCLUDED.net, version = EXCLUDED.version,
                received_at = EXCLUDED.received_at, raw_event_id = EXCLUDED.raw_event_id, updated_at = now()
            WHERE (core.sale.version, core.sale.received_at) < (EXCLUDED.version, EXCLUDED.received_at)
            RETURNING id""";
    private static final String DELETE_LINES = "DELETE FROM core.sale_line WHERE sale_id = ?";
    private static final String INSERT_LINES = """
            INSERT INTO core.sale_line (sale_id, line_no, product_id, qty, unit_price, discount, net)
            SELECT ?, * FROM unnest(?::int[], ?::bigint[], ?::numeric[], ?::numeric[], ?::numeric[], ?::numeric[])""";
    private static final String FIND_RECORDED = """
            SELECT s.id, s.source, s.source_id, s.version, st.code, s.occurred_at, s.business_date, s.status,
                   s.currency, s.gross, s.discount, s.net, s.customer_id, s.received_at,
                   (SELECT count(*) FROM core.sale_line l WHERE l.sale_id = s.id)
            FROM core.sale s JOIN core.store st ON st.id = s.store_id
            WHERE s.source = ? AND s.source_id = ?""";

    private final AgroalDataSource dataSource;

    public SaleRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Inserts the sale or replaces an older version of it, lines included. Empty when the stored
     * (version, received at) is the same or newer, in which case nothing changed.
     */
    public Optional<Long> upsert(CanonicalSale sale, long storeId, Long customerId, LocalDate businessDate,
                                 Map<String, Long> productIds, long rawEventId) {
        try (Connection connection = dataSource.getConnection()) {
            Optional<Long> written = upsertHeader(connection, sale, storeId, customerId, businessDate, rawEventId);
            if (written.isPresent()) {
                replaceLines(connection, written.get(), sale.lines(), productIds);
            }
            return written;
        } catch (SQLException e) {
            throw Jdbc.failure("Cannot upsert sale " + sale.sourceId(), e);
        }
    }

    private static Optional<Long> upsertHeader(Connection connection, CanonicalSale sale, long storeId, Long customerId,
                                               LocalDate businessDate, long rawEventId) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            upsert.setString(1, sale.source());
            upsert.setString(2, sale.sourceId());
            upsert.setLong(3, storeId);
            if (customerId == null) {
                upsert.setNull(4, Types.BIGINT);
            } else {
                upsert.setLong(4, customerId);
            }
            upsert.setObject(5, sale.occurredAt());
            upsert.setObject(6, businessDate);
            upsert.setString(7, sale.status());
            upsert.setString(8, sale.currency());
            upsert.setBigDecimal(9, sale.gross());
            upsert.setBigDecimal(10, sale.discount());
            upsert.setBigDecimal(11, sale.net());
            upsert.setLong(12, sale.version());
            upsert.setTimestamp(13, java.sql.Timestamp.from(sale.receivedAt()));
            upsert.setLong(14, rawEventId);
            try (ResultSet rows = upsert.executeQuery()) {
                return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
            }
        }
    }

    private static void replaceLines(Connection connection, long saleId, List<CanonicalSaleLine> lines,
                                     Map<String, Long> productIds) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(DELETE_LINES)) {
            delete.setLong(1, saleId);
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_LINES)) {
            insert.setLong(1, saleId);
            insert.setArray(2, connection.createArrayOf("int", lines.stream().map(CanonicalSaleLine::lineNo).toArray()));
            insert.setArray(3, connection.createArrayOf("bigint", lines.stream().map(l -> productIds.get(l.sku())).toArray()));
            insert.setArray(4, connection.createArrayOf("numeric", lines.stream().map(CanonicalSaleLine::qty).toArray()));
            insert.setArray(5, connection.createArrayOf("numeric", lines.stream().map(CanonicalSaleLine::unitPrice).toArray()));
            insert.setArray(6, connection.createArrayOf("numeric", lines.stream().map(CanonicalSaleLine::discount).toArray()));
            insert.setArray(7, connection.createArrayOf("numeric", lines.stream().map(CanonicalSaleLine::net).toArray()));
            insert.executeUpdate();
        }
    }

    /** The stored state of a sale, as announced on {@code levain.sales.recorded}. */
    public SaleRecorded findRecorded(String source, String sourceId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement find = connection.prepareStatement(FIND_RECORDED)) {
            find.setString(1, source);
            find.setString(2, sourceId);
            try (ResultSet row = find.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("Sale " + source + ":" + sourceId + " vanished inside its transaction");
                }
                return new SaleRecorded(row.getLong(1), row.getString(2), row.getString(3), row.getLong(4),
                        row.getString(5), row.getObject(6, java.time.OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC),
                        row.getObject(7, LocalDate.class), row.getString(8), row.getString(9),
                        row.getBigDecimal(10), row.getBigDecimal(11), row.getBigDecimal(12),
                        row.getInt(15), row.getObject(13, Long.class),
                        row.getObject(14, java.time.OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC),
                        SaleRecorded.CHANNEL_IN_STORE, java.math.BigDecimal.ZERO.setScale(2), java.math.BigDecimal.ZERO.setScale(2));
            }
        } catch (SQLException e) {
            throw Jdbc.failure("Cannot read sale " + sourceId, e);
        }
    }
}
