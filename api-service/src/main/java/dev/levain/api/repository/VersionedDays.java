package dev.levain.api.repository;

import io.agroal.api.AgroalDataSource;
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

/**
 * One kind of per-store-day values kept in memory while a version the normalizer raises with every change of the
 * day (by trigger, in the same transaction) says they are current. A replica's copy is only a copy: every read
 * takes the versions of the days it uses and reads the stale ones again, in the caller's snapshot.
 *
 * @param <T> what one store-day holds; shared between requests once kept: read it, never change it
 */
final class VersionedDays<T> {

    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** One store's business day. */
    record Key(long storeId, LocalDate date) {
    }

    private static final int READ_AT_ONCE = 64;

    private final String versionsSql;
    private final String loadSql;
    private final int capacity;
    private final ToLongFunction<T> version;
    private final RowReader<T> reader;
    private final Predicate<T> counts;
    private final Map<Key, T> cache = new ConcurrentHashMap<>();

    /**
     * @param versionsSql the days' versions; parameters stores, from, to; columns store_id, business_date, version
     * @param loadSql     stale days; parameters their stores and dates side by side; columns store_id, business_date,
     *                    then what {@code reader} reads (one row per day)
     * @param capacity    days kept at most (all are dropped when it is reached; a read of more keeps none)
     * @param counts      whether a day holds anything (days that do not are left out of what {@link #read} returns)
     */
    VersionedDays(String versionsSql, String loadSql, int capacity, ToLongFunction<T> version, RowReader<T> reader,
                  Predicate<T> counts) {
        this.versionsSql = versionsSql;
        this.loadSql = loadSql;
        this.capacity = capacity;
        this.version = version;
        this.reader = reader;
        this.counts = counts;
    }

    /** The days of {@code storeIds} from {@code from} to {@code to} (both included), by store and date. */
    Map<Long, Map<LocalDate, T>> read(Connection connection, long[] storeIds, LocalDate from, LocalDate to)
            throws SQLException {
        Map<Long, Map<LocalDate, T>> days = new HashMap<>();
        current(connection, versions(connection, storeIds, from, to)).forEach((key, day) -> {
            if (counts.test(day)) {
                days.computeIfAbsent(key.storeId(), store -> new HashMap<>()).put(key.date(), day);
            }
        });
        return days;
    }

    /** The versions of the days of {@code storeIds} from {@code from} to {@code to} (a day never written has none). */
    Map<Key, Long> versions(Connection connection, long[] storeIds, LocalDate from, LocalDate to) throws SQLException {
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
        return versions;
    }

    /** The days at these versions: the copies kept, the others read (and kept while there is room). */
    Map<Key, T> current(Connection connection, Map<Key, Long> versions) throws SQLException {
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
            if (fresh.size() <= capacity) {
                if (cache.size() + fresh.size() > capacity) {
                    cache.clear();
                }
                cache.putAll(fresh);
            }
        }
        return chosen;
    }

    /** The days of {@code keys}, read {@link #READ_AT_ONCE} at a time (the driver holds a statement's rows at once). */
    private Map<Key, T> load(Connection connection, List<Key> keys) throws SQLException {
        Map<Key, T> loaded = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(loadSql)) {
            for (int from = 0; from < keys.size(); from += READ_AT_ONCE) {
                List<Key> some = keys.subList(from, Math.min(keys.size(), from + READ_AT_ONCE));
                statement.setArray(1, connection.createArrayOf("bigint", some.stream().map(Key::storeId).toArray()));
                statement.setArray(2, connection.createArrayOf("date", some.stream().map(Key::date).toArray()));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        loaded.put(new Key(rows.getLong(1), rows.getObject(2, LocalDate.class)), reader.read(rows));
                    }
                }
            }
        }
        return loaded;
    }

    /** {@code work} in one read-only REPEATABLE READ transaction: everything it reads, one snapshot. */
    static <T> T inSnapshot(AgroalDataSource dataSource, String failure, SqlWork<T> work) {
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

    private static Long[] box(long[] values) {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}
