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
import java.time.LocalDate;
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
    // Each closing count holds from its day (or from the span's start, for the last count before it) until the
    // next count, or until the span's end. Days before a product's first count hold nothing (value 0). The span is
    // two periods side by side, the days before the split and those from it: one read of the counts for both.
    // Quantity-days are added up per product before its cost multiplies them (exact: numeric never rounds a
    // product). The last count before the span is one primary-key probe per store and product, not a read of all
    // history. Parameters: stores, start, end, stores, start, start, end, split, split.
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
                SELECT store_id, product_id, greatest(closing_on_hand, 0) AS on_hand,
                       greatest(business_date, ?::date) AS first_day,
                       coalesce(lead(business_date) OVER (PARTITION BY store_id, product_id ORDER BY business_date),
                                ?::date + 1) AS until
                FROM counts
            ), quantity_days AS (
                SELECT store_id, product_id,
                       sum(on_hand * greatest(0, least(until, ?::date) - first_day)) AS before_split,
                       sum(on_hand * greatest(0, until - greatest(first_day, ?::date))) AS from_split
                FROM held GROUP BY store_id, product_id
            )
            SELECT q.store_id, p.sku, p.name, q.before_split * p.unit_cost, q.from_split * p.unit_cost
            FROM quantity_days q JOIN core.product p ON p.id = q.product_id
            WHERE p.unit_cost IS NOT NULL""";

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

    /**
     * Σ over a period's days of one product's closing on-hand × its unit cost at one store, and the same over the
     * period before it ({@code previousValueDays}; 0 when it was not asked for).
     */
    public record ValueDays(long storeId, String sku, String name, BigDecimal valueDays, BigDecimal previousValueDays) {
    }

    /** Per store: the {@link #valueDaysByProduct} of its products added up. Stores with no count are absent. */
    public Map<Long, BigDecimal> valueDays(long[] storeIds, Period period) {
        Map<Long, BigDecimal> values = new HashMap<>();
        valueDaysByProduct(storeIds, period, period).forEach(row ->
                values.merge(row.storeId(), row.valueDays(), BigDecimal::add));
        return values;
    }

    /**
     * Per store and product: Σ over the period's days of the closing on-hand × the product's current unit cost, the
     * last count carried forward to days without one (negative counts as 0, products without a cost left out), and
     * the same over the days of {@code previous} (which ends the day before the period begins; the period itself:
     * not asked for). Divided by a period's days, it is its average inventory value.
     */
    public List<ValueDays> valueDaysByProduct(long[] storeIds, Period period, Period previous) {
        boolean withPrevious = !previous.equals(period);
        if (withPrevious && !previous.to().plusDays(1).equals(period.from())) {
            throw new IllegalArgumentException("The previous period " + previous + " does not end before " + period);
        }
        LocalDate start = withPrevious ? previous.from() : period.from();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(VALUE_DAYS)) {
            Array stores = stores(connection, storeIds);
            statement.setArray(1, stores);
            statement.setObject(2, start);
            statement.setObject(3, period.to());
            statement.setArray(4, stores);
            statement.setObject(5, start);
            statement.setObject(6, start);
            statement.setObject(7, period.to());
            statement.setObject(8, period.from());
            statement.setObject(9, period.from());
            List<ValueDays> values = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    values.add(new ValueDays(result.getLong(1), result.getString(2), result.getString(3),
                            result.getBigDecimal(5), result.getBigDecimal(4)));
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
