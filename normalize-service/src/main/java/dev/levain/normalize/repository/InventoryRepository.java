package dev.levain.normalize.repository;

import dev.levain.events.inventory.InventoryChanged;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
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

/** {@code core.inventory_level}, its {@code inventory_movement}s and the daily closing stock. */
@ApplicationScoped
public class InventoryRepository {

    /** A product in a store. */
    public record Key(long productId, long storeId) {
    }

    /** A stored level. */
    public record Level(BigDecimal onHand, BigDecimal previousOnHand, OffsetDateTime asOf, Instant receivedAt,
                        long version, String source, long rawEventId) {
    }

    /** One stored change of a level, from the raw event that made it, on the store's business day. */
    public record Movement(Key key, OffsetDateTime asOf, BigDecimal previousOnHand, BigDecimal onHand, long rawEventId,
                           LocalDate businessDate) {
    }

    private static final String LOCK = """
            SELECT l.product_id, l.store_id, l.on_hand, l.previous_on_hand, l.as_of, l.received_at, l.version, l.source,
                   l.raw_event_id
            FROM core.inventory_level l JOIN unnest(?::bigint[], ?::bigint[]) AS t(product_id, store_id)
                 ON (l.product_id, l.store_id) = (t.product_id, t.store_id)
            ORDER BY 1, 2 FOR UPDATE OF l""";
    private static final String UPSERT = """
            INSERT INTO core.inventory_level AS l (product_id, store_id, source, on_hand, previous_on_hand, as_of,
                                                   received_at, version, raw_event_id)
            SELECT t.product_id, t.store_id, t.source, t.on_hand, t.previous_on_hand, t.as_of::timestamptz,
                   t.received_at::timestamptz, t.version, t.raw_event_id
            FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::numeric[], ?::numeric[], ?::text[], ?::text[],
                        ?::bigint[], ?::bigint[])
                 AS t(product_id, store_id, source, on_hand, previous_on_hand, as_of, received_at, version, raw_event_id)
            ORDER BY 1, 2
            ON CONFLICT (product_id, store_id) DO UPDATE SET
                source = EXCLUDED.source, on_hand = EXCLUDED.on_hand, previous_on_hand = EXCLUDED.previous_on_hand,
                as_of = EXCLUDED.as_of, received_at = EXCLUDED.received_at, version = EXCLUDED.version,
                raw_event_id = EXCLUDED.raw_event_id, updated_at = now()""";
    private static final String MOVEMENTS = """
            INSERT INTO core.inventory_movement (product_id, store_id, as_of, previous_on_hand, on_hand, delta, raw_event_id)
            SELECT t.product_id, t.store_id, t.as_of::timestamptz, t.previous_on_hand, t.on_hand,
                   t.on_hand - coalesce(t.previous_on_hand, 0), t.raw_event_id
            FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::numeric[], ?::numeric[], ?::bigint[])
                 AS t(product_id, store_id, as_of, previous_on_hand, on_hand, raw_event_id)
            ON CONFLICT (product_id, store_id, raw_event_id) DO NOTHING""";
    // The day's closing stock is the level counted last that day.
    private static final String CLOSING = """
            INSERT INTO core.daily_inventory AS d (store_id, product_id, business_date, closing_on_hand, as_of)
            SELECT t.store_id, t.product_id, t.business_date::date, t.on_hand, t.as_of::timestamptz
            FROM (SELECT DISTINCT ON (store_id, product_id, business_date) *
                  FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::numeric[], ?::text[]) WITH ORDINALITY
                       AS u(store_id, product_id, business_date, on_hand, as_of, applied)
                  ORDER BY store_id, product_id, business_date, as_of::timestamptz DESC, applied DESC) t
            ORDER BY 1, 2, 3
            ON CONFLICT (store_id, product_id, business_date) DO UPDATE SET
                closing_on_hand = EXCLUDED.closing_on_hand, as_of = EXCLUDED.as_of
            WHERE EXCLUDED.as_of >= d.as_of""";
    // A new reorder point changes every store's status for the product: announced as a new version.
    private static final String BUMP = """
            UPDATE core.inventory_level SET version = version + 1, previous_on_hand = on_hand, updated_at = now()
            WHERE product_id = ANY (?)
            RETURNING product_id, store_id""";
    private static final String CHANGED = """
            SELECT st.code, p.sku, p.name, l.on_hand, l.previous_on_hand, p.reorder_point, l.version, l.as_of
            FROM core.inventory_level l JOIN core.store st ON st.id = l.store_id JOIN core.product p ON p.id = l.product_id
            JOIN unnest(?::bigint[], ?::bigint[]) AS t(product_id, store_id)
                 ON (l.product_id, l.store_id) = (t.product_id, t.store_id)
            ORDER BY 1, 2""";

    /** Locks the stored levels of these products × stores. */
    public Map<Key, Level> lock(Connection connection, Collection<Key> keys) throws SQLException {
        Map<Key, Level> levels = new HashMap<>();
        try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
            lock.setArray(1, Arrays.bigint(connection, keys, Key::productId));
            lock.setArray(2, Arrays.bigint(connection, keys, Key::storeId));
            try (ResultSet rows = lock.executeQuery()) {
                while (rows.next()) {
                    levels.put(new Key(rows.getLong(1), rows.getLong(2)), new Level(rows.getBigDecimal(3),
                            rows.getBigDecimal(4), rows.getObject(5, OffsetDateTime.class),
                            rows.getObject(6, OffsetDateTime.class).toInstant(), rows.getLong(7), rows.getString(8),
                            rows.getLong(9)));
                }
            }
        }
        return levels;
    }

    /** Stores the new levels, their movements and the days' closing stock. */
    public void write(Connection connection, Map<Key, Level> levels, List<Movement> movements) throws SQLException {
        List<Map.Entry<Key, Level>> rows = new ArrayList<>(levels.entrySet());
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            upsert.setArray(1, Arrays.bigint(connection, rows, r -> r.getKey().productId()));
            upsert.setArray(2, Arrays.bigint(connection, rows, r -> r.getKey().storeId()));
            upsert.setArray(3, Arrays.text(connection, rows, r -> r.getValue().source()));
            upsert.setArray(4, Arrays.numeric(connection, rows, r -> r.getValue().onHand()));
            upsert.setArray(5, Arrays.numeric(connection, rows, r -> r.getValue().previousOnHand()));
            upsert.setArray(6, Arrays.text(connection, rows, r -> Arrays.iso(r.getValue().asOf())));
            upsert.setArray(7, Arrays.text(connection, rows, r -> Arrays.iso(r.getValue().receivedAt())));
            upsert.setArray(8, Arrays.bigint(connection, rows, r -> r.getValue().version()));
            upsert.setArray(9, Arrays.bigint(connection, rows, r -> r.getValue().rawEventId()));
            upsert.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement(MOVEMENTS)) {
            insert.setArray(1, Arrays.bigint(connection, movements, m -> m.key().productId()));
            insert.setArray(2, Arrays.bigint(connection, movements, m -> m.key().storeId()));
            insert.setArray(3, Arrays.text(connection, movements, m -> Arrays.iso(m.asOf())));
            insert.setArray(4, Arrays.numeric(connection, movements, Movement::previousOnHand));
            insert.setArray(5, Arrays.numeric(connection, movements, Movement::onHand));
            insert.setArray(6, Arrays.bigint(connection, movements, Movement::rawEventId));
            insert.executeUpdate();
        }
        try (PreparedStatement closing = connection.prepareStatement(CLOSING)) {
            closing.setArray(1, Arrays.bigint(connection, movements, m -> m.key().storeId()));
            closing.setArray(2, Arrays.bigint(connection, movements, m -> m.key().productId()));
            closing.setArray(3, Arrays.text(connection, movements, m -> Arrays.iso(m.businessDate())));
            closing.setArray(4, Arrays.numeric(connection, movements, Movement::onHand));
            closing.setArray(5, Arrays.text(connection, movements, m -> Arrays.iso(m.asOf())));
            closing.executeUpdate();
        }
    }

    /** Gives every level of these products a new version (their reorder point changed); returns those levels. */
    public List<Key> bump(Connection connection, Collection<Long> productIds) throws SQLException {
        List<Key> keys = new ArrayList<>();
        if (productIds.isEmpty()) {
            return keys;
        }
        try (PreparedStatement bump = connection.prepareStatement(BUMP)) {
            bump.setArray(1, Arrays.ids(connection, productIds));
            try (ResultSet rows = bump.executeQuery()) {
                while (rows.next()) {
                    keys.add(new Key(rows.getLong(1), rows.getLong(2)));
                }
            }
        }
        return keys;
    }

    /** The stored state of these levels, as announced on {@code levain.inventory.changed}. */
    public List<InventoryChanged> changed(Connection connection, Collection<Key> keys) throws SQLException {
        List<InventoryChanged> changed = new ArrayList<>();
        if (keys.isEmpty()) {
            return changed;
        }
        try (PreparedStatement find = connection.prepareStatement(CHANGED)) {
            find.setArray(1, Arrays.bigint(connection, keys, Key::productId));
            find.setArray(2, Arrays.bigint(connection, keys, Key::storeId));
            try (ResultSet rows = find.executeQuery()) {
                while (rows.next()) {
                    BigDecimal onHand = rows.getBigDecimal(4);
                    BigDecimal reorderPoint = rows.getBigDecimal(6);
                    changed.add(new InventoryChanged(rows.getString(1), rows.getString(2), rows.getString(3), onHand,
                            rows.getBigDecimal(5), reorderPoint, InventoryChanged.status(onHand, reorderPoint),
                            rows.getLong(7), rows.getObject(8, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC)));
                }
            }
        }
        return changed;
    }
}
