package dev.levain.normalize.repository;

import dev.levain.normalize.mapping.CanonicalRefund;
import dev.levain.normalize.mapping.CanonicalRefundLine;
import dev.levain.normalize.service.Sourced;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code core.refund}. A refund is linked to its sale (and so to the sale's store and that
 * store's business day) as soon as both are stored, whichever arrived first.
 */
@ApplicationScoped
public class RefundRepository {

    /** What is stored of a refund before the batch changes it. */
    public record Stored(long id, long version, Instant receivedAt) {
    }

    /** Refunds linked to sales: their ids and the sales. */
    public record Links(List<Long> refundIds, List<Long> saleIds) {
    }

    private static final String LOCK = """
            SELECT r.id, r.source, r.source_id, r.version, r.received_at
            FROM core.refund r JOIN unnest(?::text[], ?::text[]) AS t(source, source_id)
                 ON (r.source, r.source_id) = (t.source, t.source_id)
            ORDER BY r.id FOR UPDATE OF r""";
    private static final String UPSERT = """
            INSERT INTO core.refund AS r (source, source_id, sale_source, sale_source_id, occurred_at, status, amount,
                                          currency, version, received_at, raw_event_id)
            SELECT t.source, t.source_id, t.sale_source, t.sale_source_id, t.occurred_at::timestamptz, t.status, t.amount,
                   t.currency, t.version, t.received_at::timestamptz, t.raw_event_id
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::numeric[], ?::text[],
                        ?::bigint[], ?::text[], ?::bigint[])
                 AS t(source, source_id, sale_source, sale_source_id, occurred_at, status, amount, currency, version,
                      received_at, raw_event_id)
            ORDER BY t.source, t.source_id
            ON CONFLICT (source, source_id) DO UPDATE SET
                sale_source = EXCLUDED.sale_source, sale_source_id = EXCLUDED.sale_source_id,
                occurred_at = EXCLUDED.occurred_at, status = EXCLUDED.status, amount = EXCLUDED.amount,
                currency = EXCLUDED.currency, version = EXCLUDED.version, received_at = EXCLUDED.received_at,
                raw_event_id = EXCLUDED.raw_event_id, updated_at = now()
            RETURNING id, source, source_id""";
    private static final String LINK = """
            UPDATE core.refund r SET sale_id = s.id, store_id = s.store_id,
                                     business_date = (r.occurred_at AT TIME ZONE st.timezone)::date
            FROM core.sale s JOIN core.store st ON st.id = s.store_id
            WHERE %s AND s.source = r.sale_source AND s.source_id = r.sale_source_id
            RETURNING r.id, s.id""";
    private static final String DELETE_LINES = "DELETE FROM core.refund_line WHERE refund_id = ANY (?)";
    private static final String INSERT_LINES = """
            INSERT INTO core.refund_line (refund_id, line_no, product_id, qty, amount)
            SELECT * FROM unnest(?::bigint[], ?::int[], ?::bigint[], ?::numeric[], ?::numeric[])""";
    private static final String OF_SALES = "SELECT id FROM core.refund WHERE sale_id = ANY (?) ORDER BY id";

    /** Locks the stored refunds with these (source, source id). */
    public Map<SaleRepository.Key, Stored> lock(Connection connection, Collection<SaleRepository.Key> keys)
            throws SQLException {
        Map<SaleRepository.Key, Stored> stored = new HashMap<>();
        try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
            lock.setArray(1, Arrays.text(connection, keys, SaleRepository.Key::source));
            lock.setArray(2, Arrays.text(connection, keys, SaleRepository.Key::sourceId));
            try (ResultSet rows = lock.executeQuery()) {
                while (rows.next()) {
                    stored.put(new SaleRepository.Key(rows.getString(2), rows.getString(3)), new Stored(rows.getLong(1),
                            rows.getLong(4), rows.getObject(5, OffsetDateTime.class).toInstant()));
                }
            }
        }
        return stored;
    }

    /**
     * Writes these refunds (each known to be newer than what is stored) and their lines, in place of
     * those of the versions they replace; returns their ids in input order.
     */
    public List<Long> write(Connection connection, List<Sourced<CanonicalRefund>> refunds,
                            Map<String, Long> productIds) throws SQLException {
        Map<SaleRepository.Key, Long> byKey = new HashMap<>();
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            upsert.setArray(1, Arrays.text(connection, refunds, r -> r.record().source()));
            upsert.setArray(2, Arrays.text(connection, refunds, r -> r.record().sourceId()));
            upsert.setArray(3, Arrays.text(connection, refunds, r -> r.record().saleSource()));
            upsert.setArray(4, Arrays.text(connection, refunds, r -> r.record().saleSourceId()));
            upsert.setArray(5, Arrays.text(connection, refunds, r -> Arrays.iso(r.record().occurredAt())));
            upsert.setArray(6, Arrays.text(connection, refunds, r -> r.record().status()));
            upsert.setArray(7, Arrays.numeric(connection, refunds, r -> r.record().amount()));
            upsert.setArray(8, Arrays.text(connection, refunds, r -> r.record().currency()));
            upsert.setArray(9, Arrays.bigint(connection, refunds, r -> r.record().version()));
            upsert.setArray(10, Arrays.text(connection, refunds, r -> Arrays.iso(r.record().receivedAt())));
            upsert.setArray(11, Arrays.bigint(connection, refunds, Sourced::rawEventId));
            try (ResultSet rows = upsert.executeQuery()) {
                while (rows.next()) {
                    byKey.put(new SaleRepository.Key(rows.getString(2), rows.getString(3)), rows.getLong(1));
                }
            }
        }
        // RETURNING follows the statement's ORDER BY, not the input: ids are matched back by key.
        List<Long> ids = new ArrayList<>();
        refunds.forEach(r -> ids.add(byKey.get(new SaleRepository.Key(r.record().source(), r.record().sourceId()))));
        writeLines(connection, refunds, ids, productIds);
        return ids;
    }

    private static void writeLines(Connection connection, List<Sourced<CanonicalRefund>> refunds, List<Long> ids,
                                   Map<String, Long> productIds) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(DELETE_LINES)) {
            delete.setArray(1, Arrays.ids(connection, ids));
            delete.executeUpdate();
        }
        record Line(long refundId, CanonicalRefundLine line) {
        }
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < refunds.size(); i++) {
            long refundId = ids.get(i);
            refunds.get(i).record().lines().forEach(line -> lines.add(new Line(refundId, line)));
        }
        if (lines.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_LINES)) {
            insert.setArray(1, Arrays.bigint(connection, lines, Line::refundId));
            insert.setArray(2, Arrays.integer(connection, lines, l -> l.line().lineNo()));
            insert.setArray(3, Arrays.bigint(connection, lines, l -> productIds.get(l.line().sku())));
            insert.setArray(4, Arrays.numeric(connection, lines, l -> l.line().qty()));
            insert.setArray(5, Arrays.numeric(connection, lines, l -> l.line().amount()));
            insert.executeUpdate();
        }
    }

    /** Links these refunds to their sales where those are stored. */
    public Links linkRefunds(Connection connection, Collection<Long> refundIds) throws SQLException {
        return link(connection, "r.id = ANY (?)", refundIds);
    }

    /** Links every refund of these sales (those that came first included) to them. */
    public Links linkSales(Connection connection, Collection<Long> saleIds) throws SQLException {
        return link(connection, "s.id = ANY (?)", saleIds);
    }

    /** The refunds linked to these sales. */
    public List<Long> ofSales(Connection connection, Collection<Long> saleIds) throws SQLException {
        List<Long> ids = new ArrayList<>();
        if (saleIds.isEmpty()) {
            return ids;
        }
        try (PreparedStatement find = connection.prepareStatement(OF_SALES)) {
            find.setArray(1, Arrays.ids(connection, saleIds));
            try (ResultSet rows = find.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
        }
        return ids;
    }

    private static Links link(Connection connection, String where, Collection<Long> ids) throws SQLException {
        List<Long> refundIds = new ArrayList<>();
        List<Long> saleIds = new ArrayList<>();
        if (ids.isEmpty()) {
            return new Links(refundIds, saleIds);
        }
        try (PreparedStatement link = connection.prepareStatement(LINK.formatted(where))) {
            link.setArray(1, Arrays.ids(connection, ids));
            try (ResultSet rows = link.executeQuery()) {
                while (rows.next()) {
                    refundIds.add(rows.getLong(1));
                    saleIds.add(rows.getLong(2));
                }
            }
        }
        return new Links(refundIds, saleIds);
    }
}
