package dev.levain.api.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.roaringbitmap.RoaringBitmap;

/**
 * Each store's business days' customers in memory, as compressed bitmaps of customer ids: those with a completed
 * sale that day and those with two or more, and those acquired that day (their first completed purchase, at that
 * store). Read from {@code core.daily_customer_sales} and {@code core.customer}, and kept while
 * {@code core.customer_day_version} and {@code core.daily_new_customers}' versions (raised by the normalizer's own
 * writes, in the same transaction) say they are current, so distinct counts over any range are exact unions and
 * intersections in memory. A replica's copy is only a copy: every read checks the versions of the days it uses, in
 * one snapshot with what it reads again.
 */
@ApplicationScoped
public class CustomerDays {

    /**
     * One store's customers of one business day, at {@code version}: {@code count} of them. Shared between
     * requests: read them (as arguments of a union or an intersection), never change them.
     */
    public record Day(long version, long count, RoaringBitmap customers, RoaringBitmap regulars) {
    }

    /** One store's customers acquired on one business day, at {@code version}. Shared: never change them. */
    public record Acquired(long version, RoaringBitmap customers) {
    }

    /** The days' customers and acquisitions of the same stores and dates, as one snapshot saw them. */
    public record WithAcquired(Map<Long, Map<LocalDate, Day>> days, Map<Long, Map<LocalDate, Acquired>> acquired) {
    }

    /** Customer ids the bitmaps hold: 32 bits, unsigned (ids come from a sequence starting at 1). */
    static final long LARGEST_ID = 0xFFFF_FFFFL;

    private record Key(long storeId, LocalDate date) {
    }

    private static final String VERSIONS = """
            SELECT store_id, business_date, version FROM core.customer_day_version
            WHERE store_id = ANY (?) AND business_date BETWEEN ? AND ?""";
    // Parameters: the stale days' stores and dates, side by side.
    private static final String DAYS = """
            SELECT v.store_id, v.business_date, v.version, c.customers, c.regulars
            FROM unnest(?::bigint[], ?::date[]) AS k(store_id, business_date)
            JOIN core.customer_day_version v USING (store_id, business_date)
            CROSS JOIN LATERAL (SELECT array_agg(customer_id) AS customers,
                                       array_agg(customer_id) FILTER (WHERE transactions >= 2) AS regulars
                                FROM core.daily_customer_sales d
                                WHERE d.store_id = k.store_id AND d.business_date = k.business_date
                                  AND d.transactions > 0) c""";
    private static final String ACQUIRED_VERSIONS = """
            SELECT store_id, business_date, version FROM core.daily_new_customers
            WHERE store_id = ANY (?) AND business_date BETWEEN ? AND ?""";
    // DESIGN.md §4's acquisition: customers not merged away whose first completed purchase is that store's day.
    // Parameters: the stale days' stores and dates, side by side.
    private static final String ACQUIRED = """
            SELECT v.store_id, v.business_date, v.version,
                   array(SELECT c.id FROM core.customer c
                         WHERE c.first_business_date = k.business_date AND c.first_store_id = k.store_id
                           AND c.merged_into IS NULL)
            FROM unnest(?::bigint[], ?::date[]) AS k(store_id, business_date)
            JOIN core.daily_new_customers v USING (store_id, business_date)""";

    private final AgroalDataSource dataSource;
    private final Kind<Day> customerDays;
    private final Kind<Acquired> acquiredDays;
    private final CustomerUnions.Months months;

    public CustomerDays(AgroalDataSource dataSource,
                        @ConfigProperty(name = "levain.api.customer-days.capacity", defaultValue = "20000") int capacity) {
        this.dataSource = dataSource;
        this.customerDays = new Kind<>(VERSIONS, DAYS, capacity, Day::version, rows -> {
            RoaringBitmap customers = bitmap(rows.getArray(4));
            return new Day(rows.getLong(3), customers.getLongCardinality(), customers, bitmap(rows.getArray(5)));
        }, day -> day.count() > 0);
        this.months = new CustomerUnions.Months(Math.max(1, capacity / 30));
        this.acquiredDays = new Kind<>(ACQUIRED_VERSIONS, ACQUIRED, capacity, Acquired::version,
                rows -> new Acquired(rows.getLong(3), bitmap(rows.getArray(4))), day -> !day.customers().isEmpty());
    }

    /**
     * The days of {@code storeIds} from {@code from} to {@code to} (both included) as one snapshot of the database
     * sees them, by store and date; a day without customers is absent.
     */
    public Map<Long, Map<LocalDate, Day>> read(long[] storeIds, LocalDate from, LocalDate to) {
        return inSnapshot("Cannot read the customers of the days",
                connection -> customerDays.read(connection, storeIds, from, to));
    }

    /** {@link #read}, and the customers acquired on the same days, in one snapshot; a day without any is absent. */
    public WithAcquired readWithAcquired(long[] storeIds, LocalDate from, LocalDate to) {
        return inSnapshot("Cannot read the customers of the days", connection -> new WithAcquired(
                customerDays.read(connection, storeIds, from, to), acquiredDays.read(connection, storeIds, from, to)));
    }

    /** The whole months' unions made of these days (see {@link CustomerUnions}). */
    CustomerUnions.Months months() {
        return months;
    }

    private <T> T inSnapshot(String failure, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                T read = work.run(connection);
                connection.commit();
                return read;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw ReadFailures.of(failure, e);
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /**
     * One kind of per-store-day bitmaps: the statement of their versions, the statement that loads stale ones (keys
     * side by side; columns store_id, business_date, then what {@code reader} reads), and the copies kept.
     */
    private static final class Kind<T> {

        private final String versionsSql;
        private final String loadSql;
        private final int capacity;
        private final ToLongFunction<T> version;
        private final RowReader<T> reader;
        private final Predicate<T> counts;
        private final Map<Key, T> cache = new ConcurrentHashMap<>();

        Kind(String versionsSql, String loadSql, int capacity, ToLongFunction<T> version, RowReader<T> reader,
             Predicate<T> counts) {
            this.versionsSql = versionsSql;
            this.loadSql = loadSql;
            this.capacity = capacity;
            this.version = version;
            this.reader = reader;
            this.counts = counts;
        }

        Map<Long, Map<LocalDate, T>> read(Connection connection, long[] storeIds, LocalDate from, LocalDate to)
                throws SQLException {
            Map<Key, Long> versions = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(versionsSql)) {
                statement.setArray(1, connection.createArrayOf("bigint", box(storeIds)));
                statement.setObject(2, from);
                statement.setObject(3, to);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        versions.put(new Key(rows.getLong(1), rows.getObject(2, LocalDate.class)), rows.getLong(3));
                    }
                }
            }
            // The copies of this snapshot's versions, taken once: another request may replace them meanwhile.
            Map<Key, T> chosen = new HashMap<>();
            List<Key> stale = new ArrayList<>();
            versions.forEach((key, current) -> {
                T cached = cache.get(key);
                if (cached == null || version.applyAsLong(cached) != current) {
                    stale.add(key);
                } else {
                    chosen.put(key, cached);
                }
            });
            if (!stale.isEmpty()) {
                Map<Key, T> fresh = load(connection, stale);
                chosen.putAll(fresh);
                if (cache.size() + fresh.size() > capacity) {
                    cache.clear();
                }
                cache.putAll(fresh);
            }
            Map<Long, Map<LocalDate, T>> days = new HashMap<>();
            chosen.forEach((key, day) -> {
                if (counts.test(day)) {
                    days.computeIfAbsent(key.storeId(), store -> new HashMap<>()).put(key.date(), day);
                }
            });
            return days;
        }

        private Map<Key, T> load(Connection connection, List<Key> keys) throws SQLException {
            Map<Key, T> loaded = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(loadSql)) {
                statement.setArray(1, connection.createArrayOf("bigint", keys.stream().map(Key::storeId).toArray()));
                statement.setArray(2, connection.createArrayOf("date", keys.stream().map(Key::date).toArray()));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        loaded.put(new Key(rows.getLong(1), rows.getObject(2, LocalDate.class)), reader.read(rows));
                    }
                }
            }
            return loaded;
        }
    }

    private static RoaringBitmap bitmap(Array ids) throws SQLException {
        if (ids == null) {
            return new RoaringBitmap();
        }
        Object[] values = (Object[]) ids.getArray();
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            long id = (Long) values[i];
            if (id < 0 || id > LARGEST_ID) {
                throw new IllegalStateException("Customer id " + id + " is past the " + LARGEST_ID
                        + " the in-memory customer counts hold");
            }
            bits[i] = (int) id;
        }
        RoaringBitmap bitmap = RoaringBitmap.bitmapOf(bits);
        bitmap.runOptimize();
        return bitmap;
    }

    private static Long[] box(long[] values) {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}
