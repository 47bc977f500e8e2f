package dev.levain.api.repository;

import dev.levain.api.service.CohortActivity;
import dev.levain.api.service.CustomerActivity;
import dev.levain.api.service.CustomerCount;
import dev.levain.api.service.Granularity;
import dev.levain.api.service.KpiQuery;
import dev.levain.api.service.Period;
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

/**
 * Reads customer KPIs: activity from the store business days' customers kept in memory ({@link CustomerDays},
 * exact unions of {@code core.daily_customer_sales}) or, when a query names another time zone, from that zone's
 * days ({@link ZoneDays}; in SQL from {@code core.sale_customer_contribution} by instant for a zone whose days do
 * not begin on a quarter hour); new customers from
 * {@code core.daily_new_customers} (each customer's first purchase, counted once) or, in another time zone,
 * from {@code core.customer}'s first sale instants (merged customers left out); cohorts from the same days'
 * customers and the customers acquired on each day ({@link CustomerDays} too), in memory.
 */
@ApplicationScoped
public class CustomerKpiRepository {

    // Columns: store_id, business_date (in the given zone), customer_id, transactions. Parameters: zone, stores,
    // first day − 2, last day + 2, start instant, end instant, first day, last day. The business_date bounds (no zone is more than 26 h from another) let the
    // (store_id, business_date) index narrow the scan before occurred_at decides.
    private static final String ZONE_DAYS = """
            SELECT * FROM (
                SELECT store_id, (occurred_at AT TIME ZONE ?)::date AS business_date, customer_id,
                       count(*) AS transactions
                FROM core.sale_customer_contribution
                WHERE store_id = ANY (?) AND business_date BETWEEN ? AND ? AND occurred_at >= ? AND occurred_at < ?
                GROUP BY 1, 2, 3
            ) zone_days WHERE business_date BETWEEN ? AND ?""";
    // Each day row counts in the slots it belongs to: (whole period?, bucket start, counts as current?, kept?).
    // Series: its own bucket as current (when inside the period), and the next bucket's previous one.
    // Whole period: current inside the period, previous inside the period before it.
    private static final String SERIES_SLOTS = """
            (false, date_trunc(?, d.business_date)::date, true, d.business_date >= ?),
            (false, (date_trunc(?, d.business_date) + ?::interval)::date, false,
                    (date_trunc(?, d.business_date) + ?::interval)::date BETWEEN ? AND ?),
            """;
    private static final String WHOLE_SLOT = "(true, NULL::date, d.business_date >= ?, d.business_date >= ?)";
    // Per slot, store and customer (and per slot and customer over all stores): sales now, active before.
    private static final String COUNTS = """
            , per_customer AS (
                SELECT s.whole, s.bucket, d.store_id, d.customer_id,
                       coalesce(sum(d.transactions) FILTER (WHERE s.current), 0) AS sales,
                       bool_or(NOT s.current) AS before
                FROM days d CROSS JOIN LATERAL (VALUES %s) s(whole, bucket, current, kept)
                WHERE s.kept
                GROUP BY GROUPING SETS ((s.whole, s.bucket, d.store_id, d.customer_id), (s.whole, s.bucket, d.customer_id))
            )
            SELECT whole, bucket, store_id,
                   count(*) FILTER (WHERE sales > 0), count(*) FILTER (WHERE sales >= 2),
                   count(*) FILTER (WHERE before), count(*) FILTER (WHERE before AND sales > 0)
            FROM per_customer GROUP BY whole, bucket, store_id""";
    // Columns of both: store_id, day, customers. Parameters: stores, first day, last day.
    private static final String STORE_FIRSTS = """
            SELECT store_id, business_date AS day, customers FROM core.daily_new_customers
            WHERE store_id = ANY (?) AND business_date BETWEEN ? AND ?""";
    // Parameters: zone, stores, start instant, end instant, first day − 2, last day + 2 (no zone is more than 26 h from
    // another: the business dates let the first_business_date index narrow the customers before the instant decides).
    private static final String ZONE_FIRSTS = """
            SELECT first_store_id AS store_id, (first_sale_at AT TIME ZONE ?)::date AS day, 1 AS customers
            FROM core.customer
            WHERE merged_into IS NULL AND first_store_id = ANY (?) AND first_sale_at >= ? AND first_sale_at < ?
              AND first_business_date BETWEEN ? AND ?""";

    private final AgroalDataSource dataSource;
    private final CustomerDays customerDays;
    private final ZoneDays zoneDays;

    public CustomerKpiRepository(AgroalDataSource dataSource, CustomerDays customerDays, ZoneDays zoneDays) {
        this.dataSource = dataSource;
        this.customerDays = customerDays;
        this.zoneDays = zoneDays;
    }

    /**
     * Active, repeat, previously active and retained customers per store (null: all stores, each customer
     * once) for the whole period (bucket null) and, when {@code series}, per bucket of the query's
     * granularity, whose previous bucket is the whole calendar bucket before it.
     */
    public List<CustomerActivity> activity(KpiQuery query, boolean series) {
        Period period = query.period();
        Granularity granularity = query.granularity();
        LocalDate first = period.previous().from();
        if (series) {
            LocalDate previousBucket = granularity.start(granularity.start(period.from()).minusDays(1));
            first = previousBucket.isBefore(first) ? previousBucket : first;
        }
        Period read = new Period(first, period.to());
        long[] storeIds = query.storeIds();
        if (query.timezone().isEmpty()) {
            return CustomerUnions.count(customerDays.read(storeIds, read.from(), read.to()), storeIds, period,
                    granularity, series, customerDays.months());
        }
        ZoneId zone = query.timezone().get();
        if (ZoneDays.ofWholeSlots(zone, read.from(), read.to())) {
            return CustomerUnions.count(zoneDays.customers(storeIds, read, zone), storeIds, period, granularity, series,
                    zoneDays.months(zone));
        }
        String slots = (series ? SERIES_SLOTS : "") + WHOLE_SLOT;
        String sql = "WITH days AS (" + ZONE_DAYS + ")"
                + COUNTS.formatted(slots);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            int next = bindDays(statement, 1, connection, query, read);
            if (series) {
                String field = granularity.sqlField();
                String step = "1 " + field;
                statement.setString(next++, field);
                statement.setObject(next++, period.from());
                statement.setString(next++, field);
                statement.setString(next++, step);
                statement.setString(next++, field);
                statement.setString(next++, step);
                statement.setObject(next++, granularity.start(period.from()));
                statement.setObject(next++, period.to());
            }
            statement.setObject(next++, period.from());
            statement.setObject(next, period.previous().from());
            List<CustomerActivity> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new CustomerActivity(result.getBoolean(1), result.getObject(2, LocalDate.class),
                            result.getObject(3, Long.class), result.getLong(4), result.getLong(5), result.getLong(6),
                            result.getLong(7)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw ReadFailures.of("Cannot read customer activity", e);
        }
    }

    /**
     * New customers (first completed sale at any store inside the period, attributed to that store) per
     * store and bucket, per bucket, per store and in total; buckets only when {@code series}.
     */
    public List<CustomerCount> newCustomers(KpiQuery query, boolean series) {
        if (query.timezone().isPresent()
                && ZoneDays.ofWholeSlots(query.timezone().get(), query.period().from(), query.period().to())) {
            return zoneDays.newCustomers(query.storeIds(), query.period(), query.timezone().get(), query.granularity(),
                    series);
        }
        String sql = "SELECT store_id, " + CustomerCounts.bucketColumn(series) + ", sum(customers) FROM ("
                + " SELECT store_id, date_trunc(?, day::timestamp)::date AS bucket, customers FROM ("
                + (query.timezone().isPresent() ? ZONE_FIRSTS : STORE_FIRSTS) + ") f) c"
                + CustomerCounts.groupingSets(series);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, query.granularity().sqlField());
            Array stores = stores(connection, query);
            if (query.timezone().isPresent()) {
                ZoneId zone = query.timezone().get();
                statement.setString(2, zone.getId());
                statement.setArray(3, stores);
                statement.setObject(4, start(query.period().from(), zone));
                statement.setObject(5, start(query.period().to().plusDays(1), zone));
                statement.setObject(6, query.period().from().minusDays(ZoneDays.STORE_DAYS_AROUND));
                statement.setObject(7, query.period().to().plusDays(ZoneDays.STORE_DAYS_AROUND));
            } else {
                statement.setArray(2, stores);
                statement.setObject(3, query.period().from());
                statement.setObject(4, query.period().to());
            }
            return CustomerCounts.read(statement);
        } catch (SQLException e) {
            throw ReadFailures.of("Cannot count new customers", e);
        }
    }

    /**
     * Monthly acquisition cohorts of the stores over {@code period} (whole months): each cohort's size (active
     * month null) and, for each later month of the period, how many of its customers bought at those stores.
     */
    public List<CohortActivity> cohorts(long[] storeIds, Period period) {
        return CustomerUnions.cohorts(customerDays.readWithAcquired(storeIds, period.from(), period.to()), storeIds,
                period, customerDays.months());
    }

    /** Binds {@link #ZONE_DAYS} over {@code read} from {@code index}; returns the next index. */
    private static int bindDays(PreparedStatement statement, int index, Connection connection, KpiQuery query,
                                Period read) throws SQLException {
        int next = index;
        ZoneId zone = query.timezone().orElseThrow();
        statement.setString(next++, zone.getId());
        statement.setArray(next++, stores(connection, query));
        statement.setObject(next++, read.from().minusDays(2));
        statement.setObject(next++, read.to().plusDays(2));
        statement.setObject(next++, start(read.from(), zone));
        statement.setObject(next++, start(read.to().plusDays(1), zone));
        statement.setObject(next++, read.from());
        statement.setObject(next++, read.to());
        return next;
    }

    private static Array stores(Connection connection, KpiQuery query) throws SQLException {
        return connection.createArrayOf("bigint", query.stores().stream().map(store -> store.id()).toArray());
    }

    private static OffsetDateTime start(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toOffsetDateTime();
    }
}
