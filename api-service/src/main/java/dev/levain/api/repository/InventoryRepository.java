package dev.levain.api.repository;

import dev.levain.api.service.Period;
import dev.levain.api.service.StockRow;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads stock from the normalizer's model: current levels ({@code core.inventory_level}) and the daily
 * closing counts ({@code core.daily_inventory}, a row only on the days a count happened).
 */
@ApplicationScoped
public class InventoryRepository {

    private static final String LEVELS = """
            SELECT l.store_id, p.sku, p.name, p.category, l.on_hand, p.reorder_point, l.as_of, p.unit_cost
            FROM core.inventory_level l JOIN core.product p ON p.id = l.product_id
            WHERE l.store_id = ANY (?)
            ORDER BY l.store_id, p.sku""";
    // Each closing count holds from its day (or from the period's start, for the last count before it) until the
    // next count, or until the period's end. Days before a product's first count hold nothing (value 0).
    // The last count before the period is one primary-key probe per store and product, not a read of all history.
    // Parameters: stores, from, to, stores, from, from, to.
    private static final String VALUE_DAYS = """
            WITH counts AS (
                SELECT store_id, product_id, business_date, closing_on_hand FROM core.daily_inventory
                WHERE store_id = ANY (?) AND business_date BETWEEN ? AND ?
                UNION ALL
                SELECT d.store_id, d.product_id, d.business_date, d.closing_on_hand
                FROM (SELECT DISTINCT unnest(?::bigint[])) AS s(id) CROSS JOIN core.product p
                CROSS JOIN LATERAL (
                    SELECT store_id, product_id, business_date, closing_on_hand FROM core.daily_inventory
                    WHERE store_id = s.id AND product_id = p.id AND business_date < ?
                    ORDER BY business_date DESC LIMIT 1) d
            ), held AS (
                SELECT store_id, product_id, closing_on_hand, greatest(business_date, ?::date) AS first_day,
                       coalesce(lead(business_date) OVER (PARTITION BY store_id, product_id ORDER BY business_date),
                                ?::date + 1) AS until
                FROM counts
            )
            SELECT h.store_id, p.sku, p.name,
                   sum(greatest(h.closing_on_hand, 0) * p.unit_cost * (h.until - h.first_day))
            FROM held h JOIN core.product p ON p.id = h.product_id
            WHERE p.unit_cost IS NOT NULL
            GROUP BY h.store_id, p.sku, p.name""";

    private final AgroalDataSource dataSource;

    public InventoryRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The current level of every product counted at {@code storeIds}, by store then SKU. */
    public List<StockRow> levels(long[] storeIds) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(LEVELS)) {
            statement.setArray(1, stores(connection, storeIds));
            List<StockRow> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new StockRow(result.getLong(1), result.getString(2), result.getString(3),
                            result.getString(4), result.getBigDecimal(5), result.getBigDecimal(6),
                            result.getObject(7, OffsetDateTime.class), result.getBigDecimal(8)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw ReadFailures.of("Cannot read inventory levels", e);
        }
    }

    /** Σ over a period's days of one product's closing on-hand × its unit cost at one store. */
    public record ValueDays(long storeId, String sku, String name, BigDecimal valueDays) {
    }

    /** Per store: the {@link #valueDaysByProduct} of its products added up. Stores with no count are absent. */
    public Map<Long, BigDecimal> valueDays(long[] storeIds, Period period) {
        Map<Long, BigDecimal> values = new HashMap<>();
        valueDaysByProduct(storeIds, period).forEach(row -> values.merge(row.storeId(), row.valueDays(), BigDecimal::add));
        return values;
    }

    /**
     * Per store and product: Σ over the period's days of the closing on-hand × the product's current unit cost, the
     * last count carried forward to days without one (negative counts as 0, products without a cost left out).
     * Divided by the period's days, it is the average inventory value.
     */
    public List<ValueDays> valueDaysByProduct(long[] storeIds, Period period) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(VALUE_DAYS)) {
            Array stores = stores(connection, storeIds);
            statement.setArray(1, stores);
            statement.setObject(2, period.from());
            statement.setObject(3, period.to());
            statement.setArray(4, stores);
            statement.setObject(5, period.from());
            statement.setObject(6, period.from());
            statement.setObject(7, period.to());
            List<ValueDays> values = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    values.add(new ValueDays(result.getLong(1), result.getString(2), result.getString(3),
                            result.getBigDecimal(4)));
                }
            }
            return values;
        } catch (SQLException e) {
            throw ReadFailures.of("Cannot read daily inventory", e);
        }
    }

    private static Array stores(Connection connection, long[] storeIds) throws SQLException {
        Object[] ids = new Object[storeIds.length];
        for (int i = 0; i < storeIds.length; i++) {
            ids[i] = storeIds[i];
        }
        return connection.createArrayOf("bigint", ids);
    }
}
