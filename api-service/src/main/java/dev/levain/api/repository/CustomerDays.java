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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.roaringbitmap.RoaringBitmap;

/**
 * Each store's business days' customers in memory, as compressed bitmaps of customer ids: those with a completed
 * sale that day and those with two or more. Read from {@code core.daily_customer_sales} and kept while
 * {@code core.customer_day_version} (raised by the normalizer's own writes, in the same transaction) says they are
 * current, so distinct counts over any range are exact unions and intersections in memory. A replica's copy is
 * only a copy: every read checks the versions of the days it uses, in one snapshot with what it reads again.
 */
@ApplicationScoped
public class CustomerDays {

    /**
     * One store's customers of one business day, at {@code version}: {@code count} of them. Shared between
     * requests: read them (as arguments of a union or an intersection), never change them.
     */
    public record Day(long version, long count, RoaringBitmap customers, RoaringBitmap regulars) {
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

    private final AgroalDataSource dataSource;
    private final int capacity;
    private final Map<Key, Day> cache = new ConcurrentHashMap<>();

    public CustomerDays(AgroalDataSource dataSource,
                        @ConfigProperty(name = "levain.api.customer-days.capacity", defaultValue = "20000") int capacity) {
        this.dataSource = dataSource;
        this.capacity = capacity;
    }

    /**
     * The days of {@code storeIds} from {@code from} to {@code to} (both included) as one snapshot of the database
     * sees them, by store and date; a day without customers is absent.
     */
    public Map<Long, Map<LocalDate, Day>> read(long[] storeIds, LocalDate from, LocalDate to) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                Map<Long, Map<LocalDate, Day>> days = read(connection, storeIds, from, to);
                connection.commit();
                return days;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw ReadFailures.of("Cannot read the customers of the days", e);
        }
    }

    private Map<Long, Map<LocalDate, Day>> read(Connection connection, long[] storeIds, LocalDate from, LocalDate to)
            throws SQLException {
        Map<Key, Long> versions = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(VERSIONS)) {
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
        Map<Key, Day> chosen = new HashMap<>();
        List<Key> stale = new ArrayList<>();
        versions.forEach((key, version) -> {
            Day cached = cache.get(key);
            if (cached == null || cached.version() != version) {
                stale.add(key);
            } else {
                chosen.put(key, cached);
            }
        });
        if (!stale.isEmpty()) {
            Map<Key, Day> fresh = load(connection, stale);
            chosen.putAll(fresh);
            if (cache.size() + fresh.size() > capacity) {
                cache.clear();
            }
            cache.putAll(fresh);
        }
        Map<Long, Map<LocalDate, Day>> days = new HashMap<>();
        chosen.forEach((key, day) -> {
            if (day.count() > 0) {
                days.computeIfAbsent(key.storeId(), store -> new HashMap<>()).put(key.date(), day);
            }
        });
        return days;
    }

    private static Map<Key, Day> load(Connection connection, List<Key> keys) throws SQLException {
        Map<Key, Day> loaded = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(DAYS)) {
            statement.setArray(1, connection.createArrayOf("bigint", keys.stream().map(Key::storeId).toArray()));
            statement.setArray(2, connection.createArrayOf("date", keys.stream().map(Key::date).toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Key key = new Key(rows.getLong(1), rows.getObject(2, LocalDate.class));
                    RoaringBitmap customers = bitmap(rows.getArray(4));
                    loaded.put(key, new Day(rows.getLong(3), customers.getLongCardinality(), customers,
                            bitmap(rows.getArray(5))));
                }
            }
        }
        return loaded;
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
