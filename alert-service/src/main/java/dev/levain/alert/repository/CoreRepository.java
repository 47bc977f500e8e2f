package dev.levain.alert.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads the normalizer's schema {@code core} (read-only: only normalize-service writes it). Each
 * read first checks that its tables exist, since a failed statement would abort the caller's
 * transaction while the normalizer's migrations have not run yet.
 */
@ApplicationScoped
public class CoreRepository {

    // Average units sold per day over the store's last N complete business days (today excluded:
    // it is not over). Days without a row sold nothing.
    private static final String DAILY_SALES_RATE_OF_PRODUCT_IN_STORE = """
            SELECT COALESCE(SUM(d.qty), 0)
            FROM core.daily_product_sales d
            JOIN core.store s ON s.id = d.store_id
            JOIN core.product p ON p.id = d.product_id
            WHERE s.code = ? AND p.sku = ?
              AND d.business_date >= (?::timestamptz AT TIME ZONE s.timezone)::date - ?::int
              AND d.business_date < (?::timestamptz AT TIME ZONE s.timezone)::date""";

    private static final String STORES_WITH_HOURS_AND_LAST_SALE = """
            SELECT s.code, s.timezone, s.opening_hours::text AS opening_hours, a.last_sale_at
            FROM core.store s
            LEFT JOIN alerts.store_activity a ON a.store_code = s.code
            ORDER BY s.code""";

    private static final String REJECTED_EVENTS_SINCE = "SELECT count(*) FROM core.rejected_event WHERE rejected_at > ?";

    private final Sql sql;

    public CoreRepository(Sql sql) {
        this.sql = sql;
    }

    /** A store's timezone, opening hours (JSON, null = always open) and the last sale alert-service saw. */
    public record StoreHours(String code, String timezone, String openingHours, Instant lastSaleAt) {
    }

    /** Units per day, or empty when the sales table is not there yet. */
    public Optional<BigDecimal> dailySalesRate(String storeCode, String sku, int days, Instant now) {
        if (!sql.exists("core.daily_product_sales") || !sql.exists("core.store") || !sql.exists("core.product")) {
            return Optional.empty();
        }
        return sql.one(DAILY_SALES_RATE_OF_PRODUCT_IN_STORE, row -> row.getBigDecimal(1), storeCode, sku, now, days, now)
                .map(total -> total.divide(BigDecimal.valueOf(days), 3, RoundingMode.HALF_UP));
    }

    public List<StoreHours> storesWithHours() {
        if (!sql.exists("core.store")) {
            return List.of();
        }
        return sql.query(STORES_WITH_HOURS_AND_LAST_SALE, row -> new StoreHours(row.getString("code"),
                row.getString("timezone"), row.getString("opening_hours"), Sql.instant(row, "last_sale_at")));
    }

    /** Events the normalizer rejected (dead letters) since {@code since}; empty when the table is not there. */
    public Optional<Long> rejectedEventsSince(Instant since) {
        if (!sql.exists("core.rejected_event")) {
            return Optional.empty();
        }
        return sql.one(REJECTED_EVENTS_SINCE, row -> row.getLong(1), since);
    }
}
