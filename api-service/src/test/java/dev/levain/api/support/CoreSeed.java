package dev.levain.api.support;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Writes a data set into {@code core} the way the normalizer leaves it: sales with lines, refunds, customers,
 * stock, and then the rollups recomputed from those rows by the normalizer's own definition of them
 * ({@code core.rebuild_rollups} and {@code core.restate_rollups} of its migrations; its tests prove its
 * incremental rollups equal the recomputation). Each test uses stores of its own, so tests
 * share one database without seeing each other's data.
 */
public final class CoreSeed {

    /** One line of a sale: product, quantity, unit price, line discount. */
    public record Line(long productId, String qty, String unitPrice, String discount) {
    }

    private static final AtomicLong OFFSETS = new AtomicLong(System.nanoTime());
    private final DataSource dataSource;
    private final List<Long> storeIds = new ArrayList<>();
    private final String prefix = UUID.randomUUID().toString().substring(0, 6).toUpperCase();

    public CoreSeed(DataSource dataSource) {
        this.dataSource = dataSource;
        Flyway.configure().dataSource(dataSource).schemas("core").createSchemas(true)
                .locations("classpath:db/core").load().migrate();
    }

    /** A code unique to this seed, so that tests sharing the database never meet. */
    public String code(String name) {
        return name + "-" + prefix;
    }

    public long store(String code, String timezone) {
        long id = insertReturningId("INSERT INTO core.store (code, name, timezone, currency) VALUES (?, ?, ?, 'EUR') RETURNING id",
                code, "Store " + code, timezone);
        storeIds.add(id);
        return id;
    }

    public long product(String sku, String price, String unitCost, String reorderPoint) {
        return insertReturningId("INSERT INTO core.product (sku, name, category, price, unit_cost, reorder_point) "
                        + "VALUES (?, ?, 'bakery', ?, ?, ?) RETURNING id",
                code(sku), "Product " + sku, new BigDecimal(price), unitCost == null ? null : new BigDecimal(unitCost),
                reorderPoint == null ? null : new BigDecimal(reorderPoint));
    }

    public long customer(String name) {
        return insertReturningId("INSERT INTO core.customer (email, name) VALUES (?, ?) RETURNING id",
                (name + "-" + prefix + "@example.com").toLowerCase(), name);
    }

    /**
     * A sale at {@code occurredAt}, its business date taken in the store's zone; gross and net from the
     * lines (net = gross − discounts); tax 10% of net. Returns the sale id.
     */
    public long sale(long storeId, Long customerId, String occurredAt, String channel, String status, Line... lines) {
        OffsetDateTime at = OffsetDateTime.parse(occurredAt);
        BigDecimal gross = BigDecimal.ZERO;
        BigDecimal discount = BigDecimal.ZERO;
        for (Line line : lines) {
            gross = gross.add(new BigDecimal(line.qty()).multiply(new BigDecimal(line.unitPrice())).setScale(2, RoundingMode.HALF_UP));
            discount = discount.add(new BigDecimal(line.discount()));
        }
        BigDecimal net = gross.subtract(discount);
        long rawEventId = rawEvent(at);
        long saleId = insertReturningId("""
                        INSERT INTO core.sale (source, source_id, store_id, customer_id, occurred_at, business_date, status,
                                               currency, gross, discount, tax, net, version, received_at, raw_event_id, channel)
                        VALUES ('pos', ?, ?, ?, ?, ?, ?, 'EUR', ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id""",
                UUID.randomUUID().toString(), storeId, customerId, at, businessDate(storeId, at), status, gross, discount,
                net.multiply(new BigDecimal("0.10")).setScale(2, RoundingMode.HALF_UP), net, at, rawEventId, channel);
        lineage("sale", saleId, rawEventId);
        int lineNo = 1;
        for (Line line : lines) {
            BigDecimal lineGross = new BigDecimal(line.qty()).multiply(new BigDecimal(line.unitPrice()));
            execute("""
                            INSERT INTO core.sale_line (sale_id, line_no, product_id, qty, unit_price, discount, net, unit_cost)
                            VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT unit_cost FROM core.product WHERE id = ?))""",
                    saleId, lineNo++, line.productId(), new BigDecimal(line.qty()), new BigDecimal(line.unitPrice()),
                    new BigDecimal(line.discount()), lineGross.subtract(new BigDecimal(line.discount())).setScale(2, RoundingMode.HALF_UP),
                    line.productId());
        }
        return saleId;
    }

    /** A completed refund of {@code amount} on {@code saleId}, given at {@code occurredAt}; returns its id. */
    public long refund(long saleId, String occurredAt, String amount) {
        OffsetDateTime at = OffsetDateTime.parse(occurredAt);
        long rawEventId = rawEvent(at);
        long refundId = insertReturningId("""
                        INSERT INTO core.refund (source, source_id, sale_source, sale_source_id, sale_id, store_id, occurred_at,
                                                 business_date, status, amount, currency, version, received_at, raw_event_id)
                        SELECT 'pos', ?, s.source, s.source_id, s.id, s.store_id, ?, ?, 'completed', ?, 'EUR', 1, ?, ?
                        FROM core.sale s WHERE s.id = ? RETURNING id""",
                UUID.randomUUID().toString(), at, businessDate(storeOf(saleId), at), new BigDecimal(amount), at,
                rawEventId, saleId);
        lineage("refund", refundId, rawEventId);
        execute("UPDATE core.sale SET refunded = refunded + ? WHERE id = ?", new BigDecimal(amount), saleId);
        return refundId;
    }

    /**
     * A refund of {@code amount} on {@code saleId} for {@code qty} units of {@code productId} given back (a return
     * the till itemizes): the refund and its one line.
     */
    public void returned(long saleId, String occurredAt, long productId, String qty, String amount) {
        long refundId = refund(saleId, occurredAt, amount);
        execute("INSERT INTO core.refund_line (refund_id, line_no, product_id, qty, amount) VALUES (?, 1, ?, ?, ?)",
                refundId, productId, new BigDecimal(qty), new BigDecimal(amount));
    }

    /** The link from a row to the raw event it came from, as the normalizer records it. */
    private void lineage(String entity, long entityId, long rawEventId) {
        execute("INSERT INTO core.lineage (entity, entity_id, raw_event_id) VALUES (?, ?, ?)", entity, entityId, rawEventId);
    }

    /** A late correction: the sale's line {@code lineNo} now has {@code qty}; gross, net and tax follow. */
    public void correctQuantity(long saleId, int lineNo, String qty) {
        execute("UPDATE core.sale_line SET qty = ?, net = round(? * unit_price - discount, 2) WHERE sale_id = ? AND line_no = ?",
                new BigDecimal(qty), new BigDecimal(qty), saleId, lineNo);
        execute("""
                UPDATE core.sale s SET version = version + 1, gross = t.gross, net = t.gross - s.discount,
                                       tax = round((t.gross - s.discount) * 0.10, 2)
                FROM (SELECT sum(round(qty * unit_price, 2)) AS gross FROM core.sale_line WHERE sale_id = ?) t
                WHERE s.id = ?""", saleId, saleId);
    }

    /** The stock of a product at a store, counted at {@code asOf}, and that day's closing count. */
    public void stock(long productId, long storeId, String onHand, String asOf) {
        OffsetDateTime at = OffsetDateTime.parse(asOf);
        execute("""
                        INSERT INTO core.inventory_level (product_id, store_id, source, on_hand, as_of, received_at, version,
                                                          raw_event_id)
                        VALUES (?, ?, 'inventory', ?, ?, ?, 1, ?)
                        ON CONFLICT (product_id, store_id) DO UPDATE SET on_hand = EXCLUDED.on_hand, as_of = EXCLUDED.as_of""",
                productId, storeId, new BigDecimal(onHand), at, at, rawEvent(at));
        execute("""
                        INSERT INTO core.daily_inventory (store_id, product_id, business_date, closing_on_hand, as_of)
                        VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (store_id, product_id, business_date) DO UPDATE SET
                            closing_on_hand = EXCLUDED.closing_on_hand, as_of = EXCLUDED.as_of""",
                storeId, productId, businessDate(storeId, at), new BigDecimal(onHand), at);
    }

    // --- Late changes to rolled-up sales, restated as the normalizer restates them (not rebuilt by rollUp) ---

    /**
     * Voids a sale after {@link #rollUp()}: its part of the rollups is subtracted, leaving its rows at zero, and its
     * customer's first purchase is taken again from the sales left.
     */
    public void voidSale(long saleId) {
        restate(saleId, -1);
        execute("UPDATE core.sale SET status = 'voided', version = version + 1 WHERE id = ?", saleId);
        firstPurchase(saleId);
    }

    /** The first purchase of the sale's customer, taken again from their sales (as the normalizer does). */
    private void firstPurchase(long saleId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement firsts = connection.prepareStatement("SELECT core.set_first_purchases(array("
                     + "SELECT customer_id FROM core.sale WHERE id = ? AND customer_id IS NOT NULL))")) {
            firsts.setLong(1, saleId);
            firsts.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot restate the first purchase of sale " + saleId, e);
        }
    }

    /**
     * Moves a sale to {@code occurredAt} (and the business day it falls on) after {@link #rollUp()}: taken off its
     * old day, leaving rows at zero there, and added to its new one; its customer's first purchase follows.
     */
    public void move(long saleId, String occurredAt) {
        OffsetDateTime at = OffsetDateTime.parse(occurredAt);
        restate(saleId, -1);
        execute("UPDATE core.sale SET occurred_at = ?, business_date = ?, version = version + 1 WHERE id = ?",
                at, businessDate(storeOf(saleId), at), saleId);
        restate(saleId, 1);
        firstPurchase(saleId);
    }

    private void restate(long saleId, int sign) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement restate = connection.prepareStatement(
                     "SELECT core.restate_rollups(ARRAY[?]::bigint[], '{}'::bigint[], ?)")) {
            restate.setLong(1, saleId);
            restate.setInt(2, sign);
            restate.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot restate sale " + saleId, e);
        }
    }

    // --- Customers (CustomerKpiTest): merges, as normalize-service's CustomerRepository does them ---

    /**
     * Merges customer {@code mergedId} into {@code survivorId}: its identities and sales move to the survivor,
     * it points to the survivor and keeps no first sale. Call {@link #rollUp()} afterwards.
     */
    public void merge(long mergedId, long survivorId) {
        execute("UPDATE core.customer_identity SET customer_id = ? WHERE customer_id = ?", survivorId, mergedId);
        execute("UPDATE core.sale SET customer_id = ? WHERE customer_id = ?", survivorId, mergedId);
        execute("""
                UPDATE core.customer SET merged_into = ?, first_sale_at = NULL, first_business_date = NULL,
                                         first_store_id = NULL
                WHERE id = ?""", survivorId, mergedId);
    }

    /** Recomputes this seed's rollups from its sales and refunds, as the normalizer keeps them. */
    public void rollUp() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement rebuild = connection.prepareStatement("SELECT core.rebuild_rollups(?)")) {
            rebuild.setArray(1, connection.createArrayOf("bigint", storeIds.toArray(new Long[0])));
            rebuild.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot roll up the seed", e);
        }
    }

    public void execute(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot seed: " + sql, e);
        }
    }

    private long insertReturningId(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot seed: " + sql, e);
        }
    }

    // --- Raw events (admin views) ---

    /** A landed raw event from {@code source} of {@code type}, received at {@code receivedAt}; returns its id. */
    public long rawEvent(String source, String type, String receivedAt, byte[] payload) {
        OffsetDateTime at = OffsetDateTime.parse(receivedAt);
        return insertReturningId("""
                        INSERT INTO core.raw_event (event_id, source, type, event_time, topic, kafka_partition, kafka_offset,
                                                    kafka_key, headers, payload, received_at, content_type)
                        VALUES (?, ?, ?, ?, 'levain.raw.pos', 0, ?, ?, ?::jsonb, ?, ?, 'application/json') RETURNING id""",
                UUID.randomUUID().toString(), source, type, at, OFFSETS.incrementAndGet(), source + "/" + type,
                "{\"ce_source\": \"" + source + "\"}", payload, at);
    }

    private long rawEvent(OffsetDateTime receivedAt) {
        long offset = OFFSETS.incrementAndGet();
        return insertReturningId("""
                        INSERT INTO core.raw_event (event_id, source, type, topic, kafka_partition, kafka_offset, headers,
                                                    payload, received_at)
                        VALUES (?, 'seed', 'seed', 'seed', 0, ?, '{}'::jsonb, ''::bytea, ?) RETURNING id""",
                UUID.randomUUID().toString(), offset, receivedAt);
    }

    private LocalDate businessDate(long storeId, OffsetDateTime at) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT timezone FROM core.store WHERE id = ?")) {
            statement.setLong(1, storeId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return at.atZoneSameInstant(ZoneId.of(rows.getString(1))).toLocalDate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long storeOf(long saleId) {
        return insertReturningId("SELECT store_id FROM core.sale WHERE id = ?", saleId);
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }
}
