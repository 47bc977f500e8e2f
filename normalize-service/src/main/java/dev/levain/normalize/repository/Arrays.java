package dev.levain.normalize.repository;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.function.Function;

/**
 * SQL arrays for multi-row UNNEST statements: one round trip writes a whole batch. Times and
 * dates travel as ISO text and are cast in SQL, which the driver handles for every type.
 */
final class Arrays {

    private Arrays() {
    }

    static <T> Array text(Connection connection, Collection<T> rows, Function<T, String> column) throws SQLException {
        return connection.createArrayOf("text", rows.stream().map(column).toArray());
    }

    static <T> Array bigint(Connection connection, Collection<T> rows, Function<T, Long> column) throws SQLException {
        return connection.createArrayOf("bigint", rows.stream().map(column).toArray());
    }

    static <T> Array integer(Connection connection, Collection<T> rows, Function<T, Integer> column) throws SQLException {
        return connection.createArrayOf("int4", rows.stream().map(column).toArray());
    }

    static <T> Array numeric(Connection connection, Collection<T> rows, Function<T, BigDecimal> column) throws SQLException {
        return connection.createArrayOf("numeric", rows.stream().map(column).toArray());
    }

    static <T> Array bool(Connection connection, Collection<T> rows, Function<T, Boolean> column) throws SQLException {
        return connection.createArrayOf("bool", rows.stream().map(column).toArray());
    }

    static String iso(OffsetDateTime time) {
        return time == null ? null : time.toInstant().toString();
    }

    static String iso(Instant time) {
        return time == null ? null : time.toString();
    }

    static String iso(LocalDate date) {
        return date == null ? null : date.toString();
    }

    static Array ids(Connection connection, Collection<Long> ids) throws SQLException {
        return connection.createArrayOf("bigint", ids.toArray());
    }
}
