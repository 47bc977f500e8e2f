package dev.levain.normalize.repository;

import dev.levain.events.sales.SaleRecorded;
import dev.levain.normalize.mapping.CanonicalSale;
import dev.levain.normalize.mapping.CanonicalSaleLine;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code core.sale} and its {@code core.sale_line}s, written a batch at a time. */
@ApplicationScoped
public class SaleRepository {

    /** A sale's identity: (source, source id). */
    public record Key(String source, String sourceId) {
    }

    /** What is stored of a sale before the batch changes it. */
    public record Stored(long id, long version, Instant receivedAt, Long customerId) {
    }

    /** A sale to write, resolved against stores, customers and products. */
    public record Row(CanonicalSale sale, long storeId, Long customerId, LocalDate businessDate, long rawEventId,
                      Map<String, Long> productIds) {

        public Key key() {
            return new Key(sale.source(), sale.sourceId());
        }
    }

    private static final String LOCK = """
            SELECT s.id, s.source, s.source_id, s.version, s.received_at, s.customer_id
            FROM core.sale s JOIN unnest(?::text[], ?::text[]) AS t(source, source_id)
                 ON (s.source, s.source_id) = (t.source, t.source_id)
            ORDER BY s.id FOR UPDATE OF s""";
    private static final String UPSERT = """
            INSERT INTO core.sale AS s (source, source_id, store_id, customer_id, occurred_at, business_date, status,
                                        channel, currency, gross, discount, tax, net, version, received_at, raw_event_id)
            SELECT t.source, t.source_id, t.store_id, t.customer_id, t.occurred_at::timestamptz, t.business_date::date,
                   t.status, t.channel, t.currency, t.gross, t.discount, t.tax, t.net, t.version,
                   t.received_at::timestamptz, t.raw_event_id
            FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[],
                        ?::text[], ?::numeric[], ?::numeric[], ?::numeric[], ?::numeric[], ?::bigint[], ?::text[],
                        ?::bigint[])
                 AS t(source, source_id, store_id, customer_id, occurred_at, business_date, status, channel, currency,
                      gross, discount, tax, net, version, received_at, raw_event_id)
            ORDER BY t.source, t.source_id
            ON CONFLICT (source, source_id) DO UPDATE SET
                store_id = EXCLUDED.store_id, customer_id = EXCLUDED.customer_id, occurred_at = EXCLUDED.occurred_at,
                business_date = EXCLUDED.business_date, status = EXCLUDED.status, channel = EXCLUDED.channel,
                currency = EXCLUDED.currency, gross = EXCLUDED.gross, discount = EXCLUDED.discount, tax = EXCLUDED.tax,
                net = EXCLUDED.net, version = EXCLUDED.version, received_at = EXCLUDED.received_at,
                raw_event_id = EXCLUDED.raw_event_id, updated_at = now()
            RETURNING id, source, source_id""";
    private static final String DELETE_LINES = "DELETE FROM core.sale_line WHERE sale_id = ANY (?)";
    // The unit cost is the product's at the time of the sale: COGS does not move when costs change later.
    private static final String INSERT_LINES = """
            INSERT INTO core.sale_line (sale_id, line_no, product_id, qty, unit_price, discount, net, unit_cost)
            SELECT t.sale_id, t.line_no, t.product_id, t.qty, t.unit_price, t.discount, t.net, p.unit_cost
            FROM unnest(?::bigint[], ?::int[], ?::bigint[], ?::numeric[], ?::numeric[], ?::numeric[], ?::numeric[])
                 AS t(sale_id, line_no, product_id, qty, unit_price, discount, net)
            JOIN core.product p ON p.id = t.product_id""";
    private static final String REFUNDED = """
            UPDATE core.sale s SET refunded = coalesce(
                (SELECT sum(r.amount) FROM core.refund r WHERE r.sale_id = s.id AND r.status = 'completed'), 0)
            WHERE s.id = ANY (?)""";
    // Two index probes (by key, by id) rather than one OR, which no index serves.
    private static final String RECORDED = """
            WITH wanted AS (SELECT s.id FROM core.sale s JOIN unnest(?::text[], ?::text[]) AS t(source, source_id)
                                 ON (s.source, s.source_id) = (t.source, t.source_id)
                            UNION SELECT unnest(?::bigint[]))
            SELECT s.id, s.source, s.source_id, s.version, st.code, s.occurred_at, s.business_date, s.status,
                   s.currency, s.gross, s.discount, s.net, s.customer_id, s.received_at,
                   (SELECT count(*) FROM core.sale_line l WHERE l.sale_id = s.id), s.channel, s.tax, s.refunded
            FROM wanted w JOIN core.sale s ON s.id = w.id JOIN core.store st ON st.id = s.store_id
            ORDER BY s.id""";

    /** Locks the stored sales with these keys, for the batch to compare versions and restate rollups. */
    public Map<Key, Stored> lock(Connection connection, Collection<Key> keys) throws SQLException {
        Map<Key, Stored> stored = new HashMap<>();
        try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
            lock.setArray(1, Arrays.text(connection, keys, Key::source));
            lock.setArray(2, Arrays.text(connection, keys, Key::sourceId));
            try (ResultSet rows = lock.executeQuery()) {
                while (rows.next()) {
                    stored.put(new Key(rows.getString(2), rows.getString(3)), new Stored(rows.getLong(1), rows.getLong(4),
                            rows.getObject(5, OffsetDateTime.class).toInstant(), rows.getObject(6, Long.class)));
                }
            }
        }
        return stored;
    }

    /** Writes these sales (each already known to be newer than what is stored) and their lines; returns their ids. */
    public Map<Key, Long> write(Connection connection, List<Row> rows, Collection<Long> replacedIds) throws SQLException {
        Map<Key, Long> ids = new HashMap<>();
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            upsert.setArray(1, Arrays.text(connection, rows, r -> r.sale().source()));
            upsert.setArray(2, Arrays.text(connection, rows, r -> r.sale().sourceId()));
            upsert.setArray(3, Arrays.bigint(connection, rows, Row::storeId));
            upsert.setArray(4, Arrays.bigint(connection, rows, Row::customerId));
            upsert.setArray(5, Arrays.text(connection, rows, r -> Arrays.iso(r.sale().occurredAt())));
            upsert.setArray(6, Arrays.text(connection, rows, r -> Arrays.iso(r.businessDate())));
            upsert.setArray(7, Arrays.text(connection, rows, r -> r.sale().status()));
            upsert.setArray(8, Arrays.text(connection, rows, r -> r.sale().channel()));
            upsert.setArray(9, Arrays.text(connection, rows, r -> r.sale().currency()));
            upsert.setArray(10, Arrays.numeric(connection, rows, r -> r.sale().gross()));
            upsert.setArray(11, Arrays.numeric(connection, rows, r -> r.sale().discount()));
            upsert.setArray(12, Arrays.numeric(connection, rows, r -> r.sale().tax()));
            upsert.setArray(13, Arrays.numeric(connection, rows, r -> r.sale().net()));
            upsert.setArray(14, Arrays.bigint(connection, rows, r -> r.sale().version()));
            upsert.setArray(15, Arrays.text(connection, rows, r -> Arrays.iso(r.sale().receivedAt())));
            upsert.setArray(16, Arrays.bigint(connection, rows, Row::rawEventId));
            try (ResultSet written = upsert.executeQuery()) {
                while (written.next()) {
                    ids.put(new Key(written.getString(2), written.getString(3)), written.getLong(1));
                }
            }
        }
        if (!replacedIds.isEmpty()) {
            try (PreparedStatement delete = connection.prepareStatement(DELETE_LINES)) {
                delete.setArray(1, Arrays.ids(connection, replacedIds));
                delete.executeUpdate();
            }
        }
        insertLines(connection, rows, ids);
        return ids;
    }

    private static void insertLines(Connection connection, List<Row> rows, Map<Key, Long> ids) throws SQLException {
        record Line(long saleId, long productId, CanonicalSaleLine line) {
        }
        List<Line> lines = new ArrayList<>();
        for (Row row : rows) {
            long saleId = ids.get(row.key());
            row.sale().lines().forEach(l -> lines.add(new Line(saleId, row.productIds().get(l.sku()), l)));
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_LINES)) {
            insert.setArray(1, Arrays.bigint(connection, lines, Line::saleId));
            insert.setArray(2, Arrays.integer(connection, lines, l -> l.line().lineNo()));
            insert.setArray(3, Arrays.bigint(connection, lines, Line::productId));
            insert.setArray(4, Arrays.numeric(connection, lines, l -> l.line().qty()));
            insert.setArray(5, Arrays.numeric(connection, lines, l -> l.line().unitPrice()));
            insert.setArray(6, Arrays.numeric(connection, lines, l -> l.line().discount()));
            insert.setArray(7, Arrays.numeric(connection, lines, l -> l.line().net()));
            insert.executeUpdate();
        }
    }

    /** Recomputes what was refunded on these sales. */
    public void updateRefunded(Connection connection, Collection<Long> saleIds) throws SQLException {
        if (saleIds.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(REFUNDED)) {
            update.setArray(1, Arrays.ids(connection, saleIds));
            update.executeUpdate();
        }
    }

    /**
     * The stored state of the sales with these keys or ids, as announced on
     * {@code levain.sales.recorded}.
     */
    public List<SaleRecorded> recorded(Connection connection, Collection<Key> keys, Collection<Long> ids)
            throws SQLException {
        List<SaleRecorded> recorded = new ArrayList<>();
        if (keys.isEmpty() && ids.isEmpty()) {
            return recorded;
        }
        try (PreparedStatement find = connection.prepareStatement(RECORDED)) {
            find.setArray(1, Arrays.text(connection, keys, Key::source));
            find.setArray(2, Arrays.text(connection, keys, Key::sourceId));
            find.setArray(3, Arrays.ids(connection, ids));
            try (ResultSet row = find.executeQuery()) {
                while (row.next()) {
                    recorded.add(new SaleRecorded(row.getLong(1), row.getString(2), row.getString(3), row.getLong(4),
                            row.getString(5), utc(row.getObject(6, OffsetDateTime.class)), row.getObject(7, LocalDate.class),
                            row.getString(8), row.getString(9), row.getBigDecimal(10), row.getBigDecimal(11),
                            row.getBigDecimal(12), row.getInt(15), row.getObject(13, Long.class),
                            utc(row.getObject(14, OffsetDateTime.class)), row.getString(16), row.getBigDecimal(17),
                            row.getBigDecimal(18)));
                }
            }
        }
        return recorded;
    }

    private static OffsetDateTime utc(OffsetDateTime time) {
        return time.withOffsetSameInstant(ZoneOffset.UTC);
    }
}
