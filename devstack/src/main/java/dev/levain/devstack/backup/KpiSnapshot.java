package dev.levain.devstack.backup;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The figures a restore must give back unchanged: completed sales per store and business day (count
 * and sum of net, DESIGN.md §4), the row count of every table of Levain's schemas, and the customers.
 */
public record KpiSnapshot(Map<String, String> dailySales, Map<String, Long> rowCounts, long customers) {

    private static final String DAILY_SALES = """
            SELECT st.code, s.business_date, count(*), sum(s.net)
            FROM core.sale s JOIN core.store st ON st.id = s.store_id
            WHERE s.status = 'completed'
            GROUP BY st.code, s.business_date ORDER BY st.code, s.business_date""";
    private static final String TABLES = """
            SELECT table_schema || '.' || table_name FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
            ORDER BY 1""";

    /** Reads the figures of the database at {@code jdbcUrl}. */
    public static KpiSnapshot of(String jdbcUrl, String user, String password) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
             Statement statement = connection.createStatement()) {
            Map<String, String> dailySales = new LinkedHashMap<>();
            try (ResultSet rows = statement.executeQuery(DAILY_SALES)) {
                while (rows.next()) {
                    dailySales.put(rows.getString(1) + " " + rows.getDate(2),
                            rows.getLong(3) + " sales, net " + rows.getBigDecimal(4).toPlainString());
                }
            }
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(TABLES)) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            Map<String, Long> rowCounts = new LinkedHashMap<>();
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
                    rows.next();
                    rowCounts.put(table, rows.getLong(1));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM core.customer")) {
                rows.next();
                return new KpiSnapshot(dailySales, rowCounts, rows.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the KPIs of " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    public long sales() {
        return rowCounts.getOrDefault("core.sale", 0L);
    }

    /** Each figure that differs, as "what: this vs other"; empty when all agree. */
    public List<String> differences(KpiSnapshot other) {
        List<String> differences = new ArrayList<>();
        compare("sales", dailySales, other.dailySales, differences);
        compare("rows of", rowCounts, other.rowCounts, differences);
        if (customers != other.customers) {
            differences.add("customers: " + customers + " vs " + other.customers);
        }
        return differences;
    }

    private static void compare(String what, Map<String, ?> mine, Map<String, ?> theirs, List<String> differences) {
        TreeSet<String> keys = new TreeSet<>(mine.keySet());
        keys.addAll(theirs.keySet());
        for (String key : keys) {
            if (!Objects.equals(mine.get(key), theirs.get(key))) {
                differences.add(what + " " + key + ": " + mine.getOrDefault(key, null) + " vs " + theirs.getOrDefault(key, null));
            }
        }
    }
}
