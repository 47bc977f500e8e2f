package dev.levain.alert.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plain JDBC on the service's datasource; inside a JTA transaction every statement joins it.
 * Parameters are bound by type, so that a null is sent with its SQL type.
 */
@ApplicationScoped
public class Sql {

    private final AgroalDataSource dataSource;

    public Sql(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Maps one result row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(connection, statement, params);
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed: " + e.getMessage(), e);
        }
    }

    public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Whether a table or view exists: a statement on a missing one would abort the caller's transaction. */
    public boolean exists(String relation) {
        return one("SELECT to_regclass(?) IS NOT NULL", row -> row.getBoolean(1), relation).orElse(false);
    }

    public int update(String sql, Object... params) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(connection, statement, params);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Update failed: " + e.getMessage(), e);
        }
    }

    private static void bind(Connection connection, PreparedStatement statement, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object value = params[i];
            int index = i + 1;
            if (value instanceof Typed typed) {
                statement.setNull(index, typed.sqlType());
            } else if (value instanceof Instant instant) {
                statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
            } else if (value instanceof String[] texts) {
                Array array = connection.createArrayOf("text", texts);
                statement.setArray(index, array);
            } else if (value == null) {
                throw new IllegalArgumentException("Bind nulls with Sql.nullOf(type), parameter " + index);
            } else {
                statement.setObject(index, value);
            }
        }
    }

    /** A null of the given {@link Types} type. */
    public record Typed(int sqlType) {
    }

    public static Object text(String value) {
        return value == null ? new Typed(Types.VARCHAR) : value;
    }

    public static Object number(BigDecimal value) {
        return value == null ? new Typed(Types.NUMERIC) : value;
    }

    public static Object integer(Integer value) {
        return value == null ? new Typed(Types.INTEGER) : value;
    }

    public static Object bigint(Long value) {
        return value == null ? new Typed(Types.BIGINT) : value;
    }

    public static Object instant(Instant value) {
        return value == null ? new Typed(Types.TIMESTAMP_WITH_TIMEZONE) : value;
    }

    public static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    public static Long bigint(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    public static Integer integer(ResultSet row, String column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? null : value;
    }

}
