package dev.levain.alert.repository;

import static dev.levain.alert.repository.Sql.text;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A store's sales and customer figures for the sales and customer rules, read from what the normalizer keeps
 * (read-only): sales through its one rollup definition (the views {@code core.sale_contribution} and
 * {@code core.refund_contribution}, and the table they keep, {@code core.daily_store_sales}), customers from
 * {@code core.daily_customer_sales} and {@code core.daily_new_customers}, as DESIGN.md §4 counts them.
 */
@ApplicationScoped
public class StoreFiguresRepository {

    private static final String STORES = "SELECT id, code, timezone, opening_hours::text AS opening_hours "
            + "FROM core.store ORDER BY code";

    // Completed sales and completed refunds in [from, to) (a refund counts when it was given, in its sale's channel).
    // The business-day bound, a day wider than the instants on each side, lets the store-day indexes serve it.
    private static final String SALES_BETWEEN = """
            SELECT coalesce(sum(net), 0), coalesce(sum(transactions), 0) FROM (
                SELECT net, transactions FROM core.sale_contribution
                WHERE store_id = ? AND business_date BETWEEN ? AND ? AND occurred_at >= ? AND occurred_at < ?
                  AND (?::text IS NULL OR channel = ?)
                UNION ALL
                SELECT net, 0 FROM core.refund_contribution
                WHERE store_id = ? AND business_date BETWEEN ? AND ? AND occurred_at >= ? AND occurred_at < ?
                  AND (?::text IS NULL OR channel = ?)
            ) c""";

    private static final String SALES_OF_DAYS = """
            SELECT business_date, sum(net), sum(transactions) FROM core.daily_store_sales
            WHERE store_id = ? AND business_date = ANY (?::date[]) AND (?::text IS NULL OR channel = ?)
            GROUP BY business_date""";

    private static final String FIRST_SALE_DAY = """
            SELECT min(business_date) FROM core.daily_store_sales WHERE store_id = ? AND transactions > 0""";

    private static final String NEW_CUSTOMERS = """
            SELECT coalesce(sum(customers), 0) FROM core.daily_new_customers
            WHERE store_id = ? AND business_date BETWEEN ? AND ?""";

    // Customers active in the period before (B) and in the period (P): |B| and |B ∩ P|.
    private static final String RETAINED = """
            SELECT count(*) FILTER (WHERE before), count(*) FILTER (WHERE before AND during) FROM (
                SELECT customer_id, bool_or(business_date < ?) AS before, bool_or(business_date >= ?) AS during
                FROM core.daily_customer_sales
                WHERE store_id = ? AND business_date BETWEEN ? AND ? AND transactions > 0
                GROUP BY customer_id
            ) c""";

    // Active customers of the period and those with two sales or more.
    private static final String REPEATING = """
            SELECT count(*), count(*) FILTER (WHERE sales >= 2) FROM (
                SELECT customer_id, sum(transactions) AS sales FROM core.daily_customer_sales
                WHERE store_id = ? AND business_date BETWEEN ? AND ?
                GROUP BY customer_id HAVING sum(transactions) > 0
            ) c""";

    private final Sql sql;

    public StoreFiguresRepository(Sql sql) {
        this.sql = sql;
    }

    /** A store as the rules judge it: its time zone and opening hours (JSON, null = always open). */
    public record Store(long id, String code, String timezone, String openingHours) {
    }

    /** Net sales (refunds subtracted) and completed transactions. */
    public record Sales(BigDecimal net, long transactions) {

        public static final Sales NONE = new Sales(BigDecimal.ZERO, 0);

        public Sales plus(Sales other) {
            return new Sales(net.add(other.net), transactions + other.transactions);
        }
    }

    /** A part of a whole, e.g. the retained customers of those active before. */
    public record Share(long whole, long part) {

        public static final Share NONE = new Share(0, 0);

        /** The part in percent of the whole, empty for an empty whole. */
        public Optional<BigDecimal> percent() {
            return whole == 0 ? Optional.empty() : Optional.of(BigDecimal.valueOf(part * 100)
                    .divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_UP));
        }
    }

    /** Each store, or none while the normalizer's tables are not there yet. */
    public List<Store> stores() {
        if (!sql.exists("core.store")) {
            return List.of();
        }
        return sql.query(STORES, row -> new Store(row.getLong("id"), row.getString("code"), row.getString("timezone"),
                row.getString("opening_hours")));
    }

    public Optional<Store> store(String code) {
        return stores().stream().filter(store -> store.code().equals(code)).findFirst();
    }

    /** Sales of a store (in one channel, or all when null) in [from, to), business days {@code firstDay..lastDay}. */
    public Sales salesBetween(long storeId, String channel, Instant from, Instant to, LocalDate firstDay,
                              LocalDate lastDay) {
        if (!sql.exists("core.sale_contribution") || !sql.exists("core.refund_contribution")) {
            return Sales.NONE;
        }
        Date first = Date.valueOf(firstDay.minusDays(1));
        Date last = Date.valueOf(lastDay.plusDays(1));
        return sql.one(SALES_BETWEEN, row -> new Sales(row.getBigDecimal(1), row.getLong(2)),
                storeId, first, last, from, to, text(channel), text(channel),
                storeId, first, last, from, to, text(channel), text(channel)).orElse(Sales.NONE);
    }

    /** Sales of a store per business day (days without a sale are absent). */
    public Map<LocalDate, Sales> salesOfDays(long storeId, String channel, List<LocalDate> days) {
        Map<LocalDate, Sales> byDay = new HashMap<>();
        if (!sql.exists("core.daily_store_sales")) {
            return byDay;
        }
        String[] dates = days.stream().map(LocalDate::toString).toArray(String[]::new);
        sql.query(SALES_OF_DAYS, row -> byDay.put(row.getDate(1).toLocalDate(),
                new Sales(row.getBigDecimal(2), row.getLong(3))), storeId, dates, text(channel), text(channel));
        return byDay;
    }

    /** The store's first business day with a completed sale, if it had one. */
    public Optional<LocalDate> firstSaleDay(long storeId) {
        if (!sql.exists("core.daily_store_sales")) {
            return Optional.empty();
        }
        return sql.one(FIRST_SALE_DAY, row -> row.getDate(1) == null ? null : row.getDate(1).toLocalDate(), storeId);
    }

    /** Customers whose first completed sale, at any store, was at this store in {@code from..to}. */
    public long newCustomers(long storeId, LocalDate from, LocalDate to) {
        if (!sql.exists("core.daily_new_customers")) {
            return 0;
        }
        return sql.one(NEW_CUSTOMERS, row -> row.getLong(1), storeId, Date.valueOf(from), Date.valueOf(to)).orElse(0L);
    }

    /** Customers active in the period before ({@code before..from-1}), and of them those active again in {@code from..to}. */
    public Share retained(long storeId, LocalDate before, LocalDate from, LocalDate to) {
        if (!sql.exists("core.daily_customer_sales")) {
            return Share.NONE;
        }
        Date start = Date.valueOf(from);
        return sql.one(RETAINED, StoreFiguresRepository::share, start, start, storeId, Date.valueOf(before),
                Date.valueOf(to)).orElse(Share.NONE);
    }

    /** Customers active in {@code from..to}, and of them those with two sales or more. */
    public Share repeating(long storeId, LocalDate from, LocalDate to) {
        if (!sql.exists("core.daily_customer_sales")) {
            return Share.NONE;
        }
        return sql.one(REPEATING, StoreFiguresRepository::share, storeId, Date.valueOf(from), Date.valueOf(to))
                .orElse(Share.NONE);
    }

    private static Share share(ResultSet row) throws SQLException {
        return new Share(row.getLong(1), row.getLong(2));
    }
}
