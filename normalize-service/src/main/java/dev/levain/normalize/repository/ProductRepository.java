package dev.levain.normalize.repository;

import dev.levain.normalize.mapping.CanonicalProduct;
import dev.levain.normalize.service.Sourced;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code core.product}: created unmapped from sales, enriched by the catalog. */
@ApplicationScoped
public class ProductRepository {

    /** What a catalog write changed: products whose reorder point moved, and those that got a first unit cost. */
    public record CatalogChange(Set<Long> reorderPointChanged, Set<Long> firstCost, List<Lineage> lineage) {
    }

    private static final String ENSURE = """
            INSERT INTO core.product (sku, name, unmapped)
            SELECT t.sku, t.name, true FROM unnest(?::text[], ?::text[]) AS t(sku, name) ORDER BY t.sku
            ON CONFLICT (sku) DO NOTHING""";
    private static final String FIND = "SELECT sku, id FROM core.product WHERE sku = ANY (?)";
    private static final String LOCK_CATALOG = """
            SELECT sku, id, reorder_point, unit_cost FROM core.product WHERE sku = ANY (?) ORDER BY sku FOR UPDATE""";
    // Null catalog fields are unknown, not erased. An older catalog version changes nothing, except
    // on a product still unmapped (first seen in a sale), which any catalog version enriches.
    private static final String UPSERT_CATALOG = """
            INSERT INTO core.product AS p (sku, name, category, price, unit_cost, reorder_point, unmapped, source,
                                           version, received_at)
            SELECT t.sku, coalesce(t.name, t.sku), t.category, t.price, t.unit_cost, t.reorder_point, false, t.source,
                   t.version, t.received_at::timestamptz
            FROM unnest(?::text[], ?::text[], ?::text[], ?::numeric[], ?::numeric[], ?::numeric[], ?::text[],
                        ?::bigint[], ?::text[])
                 AS t(sku, name, category, price, unit_cost, reorder_point, source, version, received_at)
            ORDER BY t.sku
            ON CONFLICT (sku) DO UPDATE SET
                name = coalesce(EXCLUDED.name, p.name), category = coalesce(EXCLUDED.category, p.category),
                price = coalesce(EXCLUDED.price, p.price), unit_cost = coalesce(EXCLUDED.unit_cost, p.unit_cost),
                reorder_point = coalesce(EXCLUDED.reorder_point, p.reorder_point), unmapped = false,
                source = EXCLUDED.source, version = EXCLUDED.version, received_at = EXCLUDED.received_at,
                updated_at = now()
            WHERE p.unmapped OR p.received_at IS NULL
               OR (p.version, p.received_at) %s (EXCLUDED.version, EXCLUDED.received_at)
            RETURNING id, sku, reorder_point, unit_cost""";

    /** The ids of these SKUs; an SKU never seen is created unmapped, named as the sale named it. */
    public Map<String, Long> ensure(Connection connection, Map<String, String> namesBySku) throws SQLException {
        if (namesBySku.isEmpty()) {
            return Map.of();
        }
        List<Map.Entry<String, String>> products = new ArrayList<>(namesBySku.entrySet());
        try (PreparedStatement ensure = connection.prepareStatement(ENSURE)) {
            ensure.setArray(1, Arrays.text(connection, products, Map.Entry::getKey));
            ensure.setArray(2, Arrays.text(connection, products, Map.Entry::getValue));
            ensure.executeUpdate();
        }
        return ids(connection, namesBySku.keySet());
    }

    /** Writes catalog products (one per SKU, the newest of the batch). */
    public CatalogChange upsertCatalog(Connection connection, Collection<Sourced<CanonicalProduct>> products,
                                       boolean replay) throws SQLException {
        if (products.isEmpty()) {
            return new CatalogChange(Set.of(), Set.of(), List.of());
        }
        Map<String, Object[]> before = new HashMap<>();
        try (PreparedStatement lock = connection.prepareStatement(LOCK_CATALOG)) {
            lock.setArray(1, Arrays.text(connection, products, p -> p.record().sku()));
            try (ResultSet rows = lock.executeQuery()) {
                while (rows.next()) {
                    before.put(rows.getString(1), new Object[] {rows.getBigDecimal(3), rows.getBigDecimal(4)});
                }
            }
        }
        Map<String, Long> rawIds = new HashMap<>();
        products.forEach(p -> rawIds.put(p.record().sku(), p.rawEventId()));
        Set<Long> reorderChanged = new HashSet<>();
        Set<Long> firstCost = new HashSet<>();
        List<Lineage> lineage = new ArrayList<>();
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_CATALOG.formatted(replay ? "<=" : "<"))) {
            upsert.setArray(1, Arrays.text(connection, products, p -> p.record().sku()));
            upsert.setArray(2, Arrays.text(connection, products, p -> p.record().name()));
            upsert.setArray(3, Arrays.text(connection, products, p -> p.record().category()));
            upsert.setArray(4, Arrays.numeric(connection, products, p -> p.record().price()));
            upsert.setArray(5, Arrays.numeric(connection, products, p -> p.record().unitCost()));
            upsert.setArray(6, Arrays.numeric(connection, products, p -> p.record().reorderPoint()));
            upsert.setArray(7, Arrays.text(connection, products, p -> p.record().source()));
            upsert.setArray(8, Arrays.bigint(connection, products, p -> p.record().version()));
            upsert.setArray(9, Arrays.text(connection, products, p -> Arrays.iso(p.record().receivedAt())));
            try (ResultSet rows = upsert.executeQuery()) {
                while (rows.next()) {
                    long id = rows.getLong(1);
                    String sku = rows.getString(2);
                    Object[] old = before.get(sku);
                    if (old != null && !same((java.math.BigDecimal) old[0], rows.getBigDecimal(3))) {
                        reorderChanged.add(id);
                    }
                    if (rows.getBigDecimal(4) != null && (old == null || old[1] == null)) {
                        firstCost.add(id);
                    }
                    lineage.add(new Lineage("product", id, rawIds.get(sku)));
                }
            }
        }
        return new CatalogChange(reorderChanged, firstCost, lineage);
    }

    private Map<String, Long> ids(Connection connection, Collection<String> skus) throws SQLException {
        Map<String, Long> ids = new HashMap<>();
        try (PreparedStatement find = connection.prepareStatement(FIND)) {
            find.setArray(1, connection.createArrayOf("text", skus.toArray()));
            try (ResultSet rows = find.executeQuery()) {
                while (rows.next()) {
                    ids.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return ids;
    }

    private static boolean same(java.math.BigDecimal a, java.math.BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }
}
