package dev.levain.api.repository;

import dev.levain.api.service.CustomerCount;
import dev.levain.api.service.Granularity;
import dev.levain.api.service.KpiQuery;
import dev.levain.api.service.Period;
import dev.levain.api.service.SalesRow;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads sales KPIs from the normalizer's rollups ({@code core.daily_store_sales},
 * {@code core.daily_customer_sales}), which are in each store's business days. When a query names another
 * time zone, its days are made of the stores' days' quarter hours ({@code core.quarter_hour_store_sales}) and kept
 * ({@link ZoneDays}); for a zone whose days do not begin on a quarter hour, the same columns are added up from what
 * each sale and refund contributes (the normalizer's views {@code core.sale_contribution} and
 * {@code core.refund_contribution}, which its rollups are made of), by their instant.
 */
@ApplicationScoped
public class SalesRollupRepository {

    // Columns of both sources: store_id, business_date, channel, gross, discount, refunds, net, tax, cogs,
    // transactions, anonymous_transactions. Parameters: stores, from, to.
    private static final String STORE_DAYS = """
            SELECT store_id, business_date, channel, gross, discount, refunds, net, tax, cogs, transactions,
                   anonymous_transactions
            FROM core.daily_store_sales WHERE store_id = ANY (?) AND business_date BETWEEN ? AND ?""";
    // Parameters: zone, stores, first day − 2, last day + 2, start instant, end instant (the sales); zone, stores,
    // start instant, end instant (the refunds); then first day, last day. The business_date bounds (no zone is more
    // than 26 h from another) let the (store_id, business_date) index narrow the sales before occurred_at decides.
    private static final String ZONE_DAYS = """
            SELECT * FROM (
                SELECT store_id, (occurred_at AT TIME ZONE ?)::date AS business_date, channel, gross, discount, refunds,
                       net, tax, cogs, transactions, anonymous_transactions
                FROM core.sale_contribution
                WHERE store_id = ANY (?) AND business_date BETWEEN ? AND ? AND occurred_at >= ? AND occurred_at < ?
                UNION ALL
                SELECT store_id, (occurred_at AT TIME ZONE ?)::date, channel, 0, 0, refunds, net, 0, 0, 0, 0
                FROM core.refund_contribution
                WHERE store_id = ANY (?) AND occurred_at >= ? AND occurred_at < ?
            ) zone_days WHERE business_date BETWEEN ? AND ?""";
    // Parameters: zone, stores, first day − 2, last day + 2, start instant, end instant; then first day, last day.
    private static final String ZONE_CUSTOMERS = """
            SELECT * FROM (
                SELECT store_id, (occurred_at AT TIME ZONE ?)::date AS business_date, customer_id
                FROM core.sale_customer_contribution
                WHERE store_id = ANY (?) AND business_date BETWEEN ? AND ? AND occurred_at >= ? AND occurred_at < ?
            ) zone_customers WHERE business_date BETWEEN ? AND ?""";

    // One statement for several stores' own days. Parameters: stores, days (pairwise).
    private static final String STORE_DAY_SALES = """
            SELECT d.store_id, d.business_date, d.channel, sum(d.gross), sum(d.discount), sum(d.refunds), sum(d.net),
                   sum(d.tax), sum(d.cogs), sum(d.transactions), sum(d.anonymous_transactions)
            FROM unnest(?::bigint[], ?::date[]) AS w(store_id, business_date)
            JOIN core.daily_store_sales d ON d.store_id = w.store_id AND d.business_date = w.business_date
            GROUP BY 1, 2, 3""";
    // A store's customer-day rows are distinct customers already.
    private static final String STORE_DAY_CUSTOMERS = """
            SELECT c.store_id, c.business_date, count(*)
            FROM unnest(?::bigint[], ?::date[]) AS w(store_id, business_date)
            JOIN core.daily_customer_sales c ON c.store_id = w.store_id AND c.business_date = w.business_date
            WHERE c.transactions > 0
            GROUP BY 1, 2""";

    private final AgroalDataSource dataSource;
    private final CustomerDays customerDays;
    private final ZoneDays zoneDays;

    public SalesRollupRepository(AgroalDataSource dataSource, CustomerDays customerDays, ZoneDays zoneDays) {
        this.dataSource = dataSource;
        this.customerDays = customerDays;
        this.zoneDays = zoneDays;
    }

    /** Sales per store, bucket (first day of the query's granularity) and channel. */
    public List<SalesRow> sales(KpiQuery query, Optional<String> channel) {
        Period period = query.period();
        if (ofWholeSlots(query)) {
            return zoneDays.sales(query.storeIds(), period, query.timezone().get(), query.granularity(), channel);
        }
        String sql = "SELECT store_id, " + bucket(query) + " AS bucket, channel, sum(gross), sum(discount),"
                + " sum(refunds), sum(net), sum(tax), sum(cogs), sum(transactions), sum(anonymous_transactions)"
                + " FROM (" + daySource(query, STORE_DAYS, ZONE_DAYS) + ") days"
                + (channel.isPresent() ? " WHERE channel = ?" : "")
                + " GROUP BY 1, 2, 3";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            int next = bindSource(statement, 1, connection, query, true);
            if (channel.isPresent()) {
                statement.setString(next, channel.get());
            }
            List<SalesRow> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(salesRow(result));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw ReadFailures.of("Cannot read sales rollups", e);
        }
    }

    /**
     * Distinct active customers per store over the whole period and over everything (a customer active in two
     * stores counts once in the total), and when {@code buckets}, per store and bucket and per bucket over all
     * stores too: unions of the days' customers ({@link CustomerDays}) for the stores' own days, of the zone's days
     * ({@link ZoneDays}) for another time zone; one sort of the period's customer-days in SQL for a zone
     * whose days do not begin on a quarter hour.
     */
    public List<CustomerCount> distinctCustomers(KpiQuery query, boolean buckets) {
        long[] storeIds = query.storeIds();
        Period period = query.period();
        if (query.timezone().isEmpty()) {
            return CustomerUnions.distinct(customerDays.read(storeIds, period.from(), period.to()), storeIds, period,
                    query.granularity(), buckets, customerDays.months());
        }
        if (ofWholeSlots(query)) {
            ZoneId zone = query.timezone().get();
            return CustomerUnions.distinct(zoneDays.customers(storeIds, period, zone), storeIds, period,
                    query.granularity(), buckets, zoneDays.months(zone));
        }
        String sql = "SELECT store_id, " + CustomerCounts.bucketColumn(buckets) + ", count(DISTINCT customer_id) FROM ("
                + " SELECT store_id, " + bucket(query) + " AS bucket, customer_id FROM (" + ZONE_CUSTOMERS + ") c) d"
                + CustomerCounts.groupingSets(buckets);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            bindSource(statement, 1, connection, query, false);
            return CustomerCounts.read(statement);
        } catch (SQLException e) {
            throw ReadFailures.of("Cannot count customers", e);
        }
    }

    /**
     * Sales per store, business day (each store's own) and channel, and active customers per store and day, of
     * the given store days (one statement for all stores, whose todays may differ).
     */
    public StoreDays storeDays(long[] storeIds, LocalDate[] days) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement sales = connection.prepareStatement(STORE_DAY_SALES);
             PreparedStatement customers = connection.prepareStatement(STORE_DAY_CUSTOMERS)) {
            Array stores = connection.createArrayOf("bigint", Arrays.stream(storeIds).boxed().toArray());
            Array dates = connection.createArrayOf("date", days);
            sales.setArray(1, stores);
            sales.setArray(2, dates);
            customers.setArray(1, stores);
            customers.setArray(2, dates);
            List<SalesRow> rows = new ArrayList<>();
            try (ResultSet result = sales.executeQuery()) {
                while (result.next()) {
                    rows.add(salesRow(result));
                }
            }
            return new StoreDays(rows, CustomerCounts.read(customers));
        } catch (SQLException e) {
            throw ReadFailures.of("Cannot read store days", e);
        }
    }

    /** The rows of {@link #storeDays}: buckets are business days. */
    public record StoreDays(List<SalesRow> sales, List<CustomerCount> customers) {
    }

    private static SalesRow salesRow(ResultSet result) throws SQLException {
        return new SalesRow(result.getLong(1), result.getObject(2, LocalDate.class), result.getString(3),
                result.getBigDecimal(4), result.getBigDecimal(5), result.getBigDecimal(6), result.getBigDecimal(7),
                result.getBigDecimal(8), result.getBigDecimal(9), result.getLong(10), result.getLong(11));
    }

    /**
     * The bucket of a row's {@code business_date}: the day itself, or its week or month (truncated as a
     * timestamp without zone, which spares a time zone conversion per row; the granularity is a fixed word).
     */
    private static String bucket(KpiQuery query) {
        return query.granularity() == Granularity.DAY ? "business_date"
                : "date_trunc('" + query.granularity().sqlField() + "', business_date::timestamp)::date";
    }

    private static boolean ofWholeSlots(KpiQuery query) {
        return query.timezone().isPresent()
                && ZoneDays.ofWholeSlots(query.timezone().get(), query.period().from(), query.period().to());
    }

    private static String daySource(KpiQuery query, String storeZone, String givenZone) {
        return query.timezone().isPresent() ? givenZone : storeZone;
    }

    /** Binds the parameters of {@link #STORE_DAYS} / {@link #ZONE_DAYS} (or {@link #ZONE_CUSTOMERS}) from {@code index}. */
    private static int bindSource(PreparedStatement statement, int index, Connection connection, KpiQuery query,
                                  boolean withRefunds) throws SQLException {
        Array stores = connection.createArrayOf("bigint", query.stores().stream().map(s -> s.id()).toArray());
        int next = index;
        if (query.timezone().isPresent()) {
            ZoneId zone = query.timezone().get();
            OffsetDateTime start = query.period().from().atStartOfDay(zone).toOffsetDateTime();
            OffsetDateTime end = query.period().to().plusDays(1).atStartOfDay(zone).toOffsetDateTime();
            statement.setString(next++, zone.getId());
            statement.setArray(next++, stores);
            statement.setObject(next++, query.period().from().minusDays(2));
            statement.setObject(next++, query.period().to().plusDays(2));
            statement.setObject(next++, start);
            statement.setObject(next++, end);
            if (withRefunds) {
                statement.setString(next++, zone.getId());
                statement.setArray(next++, stores);
                statement.setObject(next++, start);
                statement.setObject(next++, end);
            }
        } else {
            statement.setArray(next++, stores);
        }
        statement.setObject(next++, query.period().from());
        statement.setObject(next++, query.period().to());
        return next;
    }
}
