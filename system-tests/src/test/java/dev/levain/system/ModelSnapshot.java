package dev.levain.system;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Schema {@code core} by natural keys, never surrogate ids, so two runs compare row for row; its rollups recomputed. */
final class ModelSnapshot {

    /** Each customer's identities, {@code source:id} sorted and joined by spaces. */
    private static final String WHO = """
            WITH who AS (SELECT customer_id, string_agg(source || ':' || source_id, ' '
                                                        ORDER BY (source || ':' || source_id) COLLATE "C") AS who
                         FROM core.customer_identity GROUP BY customer_id)
            """;

    /** What a snapshot holds, one query per part; each row becomes one line. */
    private static final Map<String, String> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("products", """
                SELECT sku, name, category, price, unit_cost, reorder_point, unmapped, source, version FROM core.product""");
        PARTS.put("customers (identities, first purchase)", WHO + """
                SELECT coalesce(w.who, 'no identity'), c.first_sale_at, c.first_business_date, s.code
                FROM core.customer c LEFT JOIN who w ON w.customer_id = c.id LEFT JOIN core.store s ON s.id = c.first_store_id
                WHERE c.merged_into IS NULL""");
        PARTS.put("sales with their lines", WHO + """
                SELECT s.source, s.source_id, st.code, s.status, s.channel, s.version, s.received_at, s.occurred_at,
                       s.business_date, s.currency, s.gross, s.discount, s.tax, s.net, s.refunded,
                       CASE WHEN s.customer_id IS NULL THEN 'anonymous' ELSE coalesce(w.who, 'a customer without identity') END,
                       e.event_id,
                       (SELECT string_agg(concat_ws(' ', x.line_no, p.sku, x.qty, x.unit_price, x.discount, x.net,
                                                    coalesce(x.unit_cost::text, 'no cost')), '; ' ORDER BY x.line_no)
                        FROM core.sale_line x JOIN core.product p ON p.id = x.product_id WHERE x.sale_id = s.id)
                FROM core.sale s JOIN core.store st ON st.id = s.store_id JOIN core.raw_event e ON e.id = s.raw_event_id
                LEFT JOIN who w ON w.customer_id = s.customer_id""");
        PARTS.put("refunds", """
                SELECT r.source, r.source_id, r.sale_source, r.sale_source_id, coalesce(s.source_id, 'not linked'), st.code,
                       r.occurred_at, r.business_date, r.status, r.amount, r.currency, r.version, r.received_at, e.event_id
                FROM core.refund r LEFT JOIN core.sale s ON s.id = r.sale_id LEFT JOIN core.store st ON st.id = r.store_id
                JOIN core.raw_event e ON e.id = r.raw_event_id""");
        PARTS.put("refund lines", """
                SELECT r.source, r.source_id, x.line_no, p.sku, x.qty, x.amount
                FROM core.refund r JOIN core.refund_line x ON x.refund_id = r.id JOIN core.product p ON p.id = x.product_id""");
        PARTS.put("inventory levels", """
                SELECT p.sku, st.code, l.source, l.on_hand, l.previous_on_hand, l.as_of, l.received_at, l.version,
                       e.event_id, e.received_at
                FROM core.inventory_level l JOIN core.product p ON p.id = l.product_id JOIN core.store st ON st.id = l.store_id
                JOIN core.raw_event e ON e.id = l.raw_event_id""");
        PARTS.put("inventory movements", """
                SELECT p.sku, st.code, m.as_of, m.previous_on_hand, m.on_hand, m.delta, e.event_id, e.received_at
                FROM core.inventory_movement m JOIN core.product p ON p.id = m.product_id
                JOIN core.store st ON st.id = m.store_id JOIN core.raw_event e ON e.id = m.raw_event_id""");
        // Rollup rows that sum to nothing (a sale subtracted from its old day) are the same as no row.
        PARTS.put("daily_store_sales", """
                SELECT st.code, d.business_date, d.channel, d.gross, d.discount, d.refunds, d.net, d.tax, d.cogs,
                       d.transactions, d.anonymous_transactions, d.lines
                FROM core.daily_store_sales d JOIN core.store st ON st.id = d.store_id
                WHERE (d.gross, d.discount, d.refunds, d.net, d.tax, d.cogs, d.transactions, d.anonymous_transactions, d.lines)
                      IS DISTINCT FROM (0, 0, 0, 0, 0, 0, 0, 0, 0)""");
        PARTS.put("daily_product_sales", """
                SELECT st.code, d.business_date, p.sku, d.qty, d.gross, d.net, d.cogs, d.lines, d.returned_qty, d.refunds
                FROM core.daily_product_sales d JOIN core.store st ON st.id = d.store_id JOIN core.product p ON p.id = d.product_id
                WHERE (d.qty, d.gross, d.net, d.cogs, d.lines, d.returned_qty, d.refunds)
                      IS DISTINCT FROM (0, 0, 0, 0, 0, 0, 0)""");
        PARTS.put("daily_customer_sales", WHO + """
                SELECT st.code, d.business_date, coalesce(w.who, 'a customer without identity'), d.transactions, d.net
                FROM core.daily_customer_sales d JOIN core.store st ON st.id = d.store_id LEFT JOIN who w ON w.customer_id = d.customer_id
                WHERE (d.transactions, d.net) IS DISTINCT FROM (0, 0)""");
        PARTS.put("daily_inventory", """
                SELECT st.code, p.sku, d.business_date, d.closing_on_hand, d.as_of
                FROM core.daily_inventory d JOIN core.store st ON st.id = d.store_id JOIN core.product p ON p.id = d.product_id""");
    }

    /**
     * Each check lists what disagrees: rows of a rollup that its recomputation from the model does not give
     * ("recomputed" rows missing from the table, "stored" rows the recomputation does not give), or rows
     * that break a rule of the model. Empty when all is well.
     */
    private static final Map<String, String> CHECKS = new LinkedHashMap<>();

    static {
        CHECKS.put("daily_store_sales = completed sales, and refunds on their own day, per store, day and channel",
                difference("""
                        WITH sold AS (
                            SELECT s.store_id, s.business_date, s.channel, sum(s.gross) AS gross, sum(s.discount) AS discount,
                                   sum(s.net) AS net, sum(s.tax) AS tax, sum(l.cogs) AS cogs, count(*) AS transactions,
                                   count(*) FILTER (WHERE s.customer_id IS NULL) AS anonymous, sum(l.lines) AS lines
                            FROM core.sale s
                            CROSS JOIN LATERAL (SELECT count(*) AS lines, coalesce(sum(round(x.qty * x.unit_cost, 2)), 0) AS cogs
                                                FROM core.sale_line x WHERE x.sale_id = s.id) l
                            WHERE s.status = 'completed' GROUP BY 1, 2, 3),
                        refunded AS (
                            SELECT r.store_id, r.business_date, s.channel, sum(r.amount) AS refunds
                            FROM core.refund r JOIN core.sale s ON s.id = r.sale_id WHERE r.status = 'completed'
                            GROUP BY 1, 2, 3),
                        recomputed AS (
                            SELECT store_id, business_date, channel, coalesce(gross, 0) AS gross,
                                   coalesce(discount, 0) AS discount, coalesce(refunds, 0) AS refunds,
                                   coalesce(net, 0) - coalesce(refunds, 0) AS net, coalesce(tax, 0) AS tax,
                                   coalesce(cogs, 0) AS cogs, coalesce(transactions, 0) AS transactions,
                                   coalesce(anonymous, 0) AS anonymous, coalesce(lines, 0) AS lines
                            FROM sold FULL JOIN refunded USING (store_id, business_date, channel)),
                        stored AS (
                            SELECT store_id, business_date, channel, gross, discount, refunds, net, tax, cogs, transactions,
                                   anonymous_transactions AS anonymous, lines FROM core.daily_store_sales)""",
                        "store_id, business_date, channel",
                        "gross, discount, refunds, net, tax, cogs, transactions, anonymous, lines"));
        CHECKS.put("quarter_hour_store_sales = completed sales, and refunds on their own day, per store, day, quarter "
                        + "hour of their instant and channel", difference("""
                        WITH sold AS (
                            SELECT s.store_id, s.business_date, date_bin('15 minutes', s.occurred_at, timestamptz '2000-01-01Z')
                                       AS quarter_hour, s.channel, sum(s.gross) AS gross, sum(s.discount) AS discount,
                                   sum(s.net) AS net, sum(s.tax) AS tax, sum(l.cogs) AS cogs, count(*) AS transactions,
                                   count(*) FILTER (WHERE s.customer_id IS NULL) AS anonymous
                            FROM core.sale s
                            CROSS JOIN LATERAL (SELECT coalesce(sum(round(x.qty * x.unit_cost, 2)), 0) AS cogs
                                                FROM core.sale_line x WHERE x.sale_id = s.id) l
                            WHERE s.status = 'completed' GROUP BY 1, 2, 3, 4),
                        refunded AS (
                            SELECT r.store_id, r.business_date, date_bin('15 minutes', r.occurred_at, timestamptz '2000-01-01Z')
                                       AS quarter_hour, s.channel, sum(r.amount) AS refunds
                            FROM core.refund r JOIN core.sale s ON s.id = r.sale_id WHERE r.status = 'completed'
                            GROUP BY 1, 2, 3, 4),
                        recomputed AS (
                            SELECT store_id, business_date, quarter_hour, channel, coalesce(gross, 0) AS gross,
                                   coalesce(discount, 0) AS discount, coalesce(refunds, 0) AS refunds,
                                   coalesce(net, 0) - coalesce(refunds, 0) AS net, coalesce(tax, 0) AS tax,
                                   coalesce(cogs, 0) AS cogs, coalesce(transactions, 0) AS transactions,
                                   coalesce(anonymous, 0) AS anonymous
                            FROM sold FULL JOIN refunded USING (store_id, business_date, quarter_hour, channel)),
                        stored AS (
                            SELECT store_id, business_date, quarter_hour, channel, gross, discount, refunds, net, tax, cogs,
                                   transactions, anonymous_transactions AS anonymous FROM core.quarter_hour_store_sales)""",
                        "store_id, business_date, quarter_hour, channel",
                        "gross, discount, refunds, net, tax, cogs, transactions, anonymous"));
        CHECKS.put("daily_product_sales = lines of completed sales, and returned lines on their refund's day, "
                + "per store, day and product", difference("""
                        WITH sold AS (
                            SELECT s.store_id, s.business_date, x.product_id, sum(x.qty) AS qty,
                                   sum(round(x.qty * x.unit_price, 2)) AS gross, sum(x.net) AS net,
                                   coalesce(sum(round(x.qty * x.unit_cost, 2)), 0) AS cogs, count(*) AS lines
                            FROM core.sale s JOIN core.sale_line x ON x.sale_id = s.id WHERE s.status = 'completed'
                            GROUP BY 1, 2, 3),
                        returned AS (
                            SELECT r.store_id, r.business_date, x.product_id, sum(x.qty) AS returned_qty,
                                   sum(x.amount) AS refunds
                            FROM core.refund r JOIN core.refund_line x ON x.refund_id = r.id
                            WHERE r.status = 'completed' AND r.sale_id IS NOT NULL GROUP BY 1, 2, 3),
                        recomputed AS (
                            SELECT store_id, business_date, product_id, coalesce(qty, 0) AS qty, coalesce(gross, 0) AS gross,
                                   coalesce(net, 0) - coalesce(refunds, 0) AS net, coalesce(cogs, 0) AS cogs,
                                   coalesce(lines, 0) AS lines, coalesce(returned_qty, 0) AS returned_qty,
                                   coalesce(refunds, 0) AS refunds
                            FROM sold FULL JOIN returned USING (store_id, business_date, product_id)),
                        stored AS (SELECT store_id, business_date, product_id, qty, gross, net, cogs, lines, returned_qty,
                                          refunds FROM core.daily_product_sales)""",
                "store_id, business_date, product_id", "qty, gross, net, cogs, lines, returned_qty, refunds"));
        CHECKS.put("daily_customer_sales = completed sales per store, day and customer", difference("""
                        WITH recomputed AS (
                            SELECT store_id, business_date, customer_id, count(*) AS transactions, sum(net) AS net
                            FROM core.sale WHERE status = 'completed' AND customer_id IS NOT NULL GROUP BY 1, 2, 3),
                        stored AS (SELECT store_id, business_date, customer_id, transactions, net FROM core.daily_customer_sales)""",
                "store_id, business_date, customer_id", "transactions, net"));
        CHECKS.put("daily_inventory = the count stored last on each store's day (counted last, received last)",
                difference("""
                        WITH recomputed AS (
                            SELECT DISTINCT ON (m.store_id, m.product_id, (m.as_of AT TIME ZONE st.timezone)::date)
                                   m.store_id, m.product_id, (m.as_of AT TIME ZONE st.timezone)::date AS business_date,
                                   m.on_hand AS closing_on_hand, m.as_of
                            FROM core.inventory_movement m JOIN core.store st ON st.id = m.store_id
                            JOIN core.raw_event e ON e.id = m.raw_event_id
                            ORDER BY m.store_id, m.product_id, (m.as_of AT TIME ZONE st.timezone)::date, m.as_of DESC,
                                     e.received_at DESC),
                        stored AS (SELECT store_id, product_id, business_date, closing_on_hand, as_of FROM core.daily_inventory)""",
                        "store_id, product_id, business_date", "closing_on_hand, as_of", false));
        CHECKS.put("inventory_level = its last movement, versioned by the movements stored", difference("""
                        WITH recomputed AS (
                            SELECT DISTINCT ON (m.product_id, m.store_id) m.product_id, m.store_id, m.on_hand, m.as_of,
                                   count(*) OVER (PARTITION BY m.product_id, m.store_id) AS version
                            FROM core.inventory_movement m JOIN core.raw_event e ON e.id = m.raw_event_id
                            ORDER BY m.product_id, m.store_id, m.as_of DESC, e.received_at DESC),
                        stored AS (SELECT product_id, store_id, on_hand, as_of, version FROM core.inventory_level)""",
                "product_id, store_id", "on_hand, as_of, version", false));
        CHECKS.put("sale totals = its lines; sale.refunded = its completed refunds", difference("""
                        WITH recomputed AS (
                            SELECT s.id, (SELECT sum(round(x.qty * x.unit_price, 2)) FROM core.sale_line x WHERE x.sale_id = s.id) AS gross,
                                   (SELECT sum(x.discount) FROM core.sale_line x WHERE x.sale_id = s.id) AS discount,
                                   (SELECT sum(x.net) FROM core.sale_line x WHERE x.sale_id = s.id) AS net,
                                   (SELECT coalesce(sum(r.amount), 0) FROM core.refund r
                                    WHERE r.sale_id = s.id AND r.status = 'completed') AS refunded
                            FROM core.sale s),
                        stored AS (SELECT id, gross, discount, net, refunded FROM core.sale)""",
                "id", "gross, discount, net, refunded", false));
        CHECKS.put("customer.first_* = the customer's earliest completed sale, at any store", difference("""
                        WITH recomputed AS (
                            SELECT c.id, f.occurred_at, f.business_date, f.store_id FROM core.customer c
                            LEFT JOIN LATERAL (SELECT occurred_at, business_date, store_id FROM core.sale
                                               WHERE customer_id = c.id AND status = 'completed'
                                               ORDER BY occurred_at, id LIMIT 1) f ON true
                            WHERE c.merged_into IS NULL),
                        stored AS (SELECT id, first_sale_at AS occurred_at, first_business_date AS business_date,
                                          first_store_id AS store_id FROM core.customer WHERE merged_into IS NULL)""",
                "id", "occurred_at, business_date, store_id", false));
        CHECKS.put("merges: nothing points at a merged customer; every refund of a stored sale is linked to it", """
                SELECT 'merged into a merged customer', c.id::text FROM core.customer c
                JOIN core.customer m ON m.id = c.merged_into WHERE m.merged_into IS NOT NULL
                UNION ALL
                SELECT 'identity of a merged customer', i.source || ':' || i.source_id FROM core.customer_identity i
                JOIN core.customer c ON c.id = i.customer_id WHERE c.merged_into IS NOT NULL
                UNION ALL
                SELECT 'sale of a merged customer', s.source || ':' || s.source_id FROM core.sale s
                JOIN core.customer c ON c.id = s.customer_id WHERE c.merged_into IS NOT NULL
                UNION ALL
                SELECT 'customer without identity', c.id::text FROM core.customer c
                WHERE c.merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM core.customer_identity i WHERE i.customer_id = c.id)
                UNION ALL
                SELECT 'refund not linked to its stored sale', r.source_id FROM core.refund r
                JOIN core.sale s ON (s.source, s.source_id) = (r.sale_source, r.sale_source_id)
                WHERE r.sale_id IS DISTINCT FROM s.id OR r.store_id IS DISTINCT FROM s.store_id""");
        // Which superseded versions a row's lineage names depends on how versions fell into batches (a version
        // replaced within its own batch never changed the row); that it names its stored version, and only
        // raw events of its own key, does not.
        CHECKS.put("lineage: each sale and refund names the raw event of its stored version, and only events of its key",
                """
                SELECT 'sale without its stored version', s.source_id FROM core.sale s WHERE NOT EXISTS
                    (SELECT 1 FROM core.lineage g WHERE g.entity = 'sale' AND g.entity_id = s.id AND g.raw_event_id = s.raw_event_id)
                UNION ALL
                SELECT 'refund without its stored version', r.source_id FROM core.refund r WHERE NOT EXISTS
                    (SELECT 1 FROM core.lineage g WHERE g.entity = 'refund' AND g.entity_id = r.id AND g.raw_event_id = r.raw_event_id)
                UNION ALL
                SELECT 'sale traced to another key', s.source_id || ' <- ' || e.kafka_key FROM core.lineage g
                JOIN core.sale s ON s.id = g.entity_id JOIN core.raw_event own ON own.id = s.raw_event_id
                JOIN core.raw_event e ON e.id = g.raw_event_id
                WHERE g.entity = 'sale' AND e.kafka_key IS DISTINCT FROM own.kafka_key
                UNION ALL
                SELECT 'refund traced to another key', r.source_id || ' <- ' || e.kafka_key FROM core.lineage g
                JOIN core.refund r ON r.id = g.entity_id JOIN core.raw_event own ON own.id = r.raw_event_id
                JOIN core.raw_event e ON e.id = g.raw_event_id
                WHERE g.entity = 'refund' AND e.kafka_key IS DISTINCT FROM own.kafka_key""");
    }

    private ModelSnapshot() {
    }

    /** The model by natural keys: each part's rows, one line per row, sorted. */
    static Map<String, List<String>> take(Connection connection) throws SQLException {
        Map<String, List<String>> snapshot = new LinkedHashMap<>();
        for (Map.Entry<String, String> part : PARTS.entrySet()) {
            List<String> rows = rows(connection, part.getValue());
            Collections.sort(rows);
            snapshot.put(part.getKey(), rows);
        }
        return snapshot;
    }

    /** Per check, the rows that disagree (see {@link #CHECKS}); all empty when the rollups equal their recomputation. */
    static Map<String, List<String>> disagreements(Connection connection) throws SQLException {
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (Map.Entry<String, String> check : CHECKS.entrySet()) {
            found.put(check.getKey(), rows(connection, check.getValue()));
        }
        return found;
    }

    /** Every stored sale: {@code source|source id} to {@code version|status|net}. */
    static Map<String, String> sales(Connection connection) throws SQLException {
        return pairs(connection, "SELECT source || '|' || source_id, version || '|' || status || '|' || net FROM core.sale");
    }

    /** Every stored refund: id to {@code sale|version|status|linked}. */
    static Map<String, String> refunds(Connection connection) throws SQLException {
        return pairs(connection, """
                SELECT source_id, sale_source_id || '|' || version || '|' || status || '|' || (sale_id IS NOT NULL)
                FROM core.refund""");
    }

    /** The customers that are not merged into another, each as its identities sorted and joined by spaces. */
    static TreeSet<String> customers(Connection connection) throws SQLException {
        Map<Long, TreeSet<String>> identities = new TreeMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("""
                SELECT c.id, i.source || ':' || i.source_id FROM core.customer c
                LEFT JOIN core.customer_identity i ON i.customer_id = c.id WHERE c.merged_into IS NULL""")) {
            while (rows.next()) {
                TreeSet<String> of = identities.computeIfAbsent(rows.getLong(1), id -> new TreeSet<>());
                if (rows.getString(2) != null) {
                    of.add(rows.getString(2));
                }
            }
        }
        TreeSet<String> customers = new TreeSet<>();
        identities.values().forEach(of -> customers.add(String.join(" ", of)));
        return customers;
    }

    /**
     * What differs between two collections of rows, counting repeats: "only in {@code leftName}: …" and
     * "only in {@code rightName}: …", at most {@code limit} of them plus a count of the rest.
     */
    static List<String> differences(Collection<String> left, Collection<String> right, String leftName,
                                    String rightName, int limit) {
        Map<String, Integer> counts = new TreeMap<>();
        left.forEach(row -> counts.merge(row, 1, Integer::sum));
        right.forEach(row -> counts.merge(row, -1, Integer::sum));
        List<String> found = new ArrayList<>();
        counts.forEach((row, count) -> {
            for (int i = 0; i < Math.abs(count); i++) {
                found.add("only in " + (count > 0 ? leftName : rightName) + ": " + row);
            }
        });
        return limited(found, limit);
    }

    static List<String> limited(List<String> rows, int limit) {
        if (rows.size() <= limit) {
            return rows;
        }
        List<String> shown = new ArrayList<>(rows.subList(0, limit));
        shown.add("… and " + (rows.size() - limit) + " more");
        return shown;
    }

    /**
     * Rows of {@code recomputed} and {@code stored} (two CTEs {@code ctes} defines) that the other lacks,
     * leaving out rows whose measures are all zero when {@code zeroIsNoRow}.
     */
    private static String difference(String ctes, String keys, String measures, boolean zeroIsNoRow) {
        String zeros = String.join(", ", Collections.nCopies(measures.split(",").length, "0"));
        String filter = zeroIsNoRow ? "(" + measures + ") IS DISTINCT FROM (" + zeros + ")" : "true";
        return ctes + """
                ,
                r AS (SELECT %1$s, %2$s FROM recomputed WHERE %3$s),
                t AS (SELECT %1$s, %2$s FROM stored WHERE %3$s)
                SELECT 'recomputed' AS side, * FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM t) missing
                UNION ALL
                SELECT 'stored', * FROM (SELECT * FROM t EXCEPT ALL SELECT * FROM r) extra""".formatted(keys, measures, filter);
    }

    private static String difference(String ctes, String keys, String measures) {
        return difference(ctes, keys, measures, true);
    }

    private static List<String> rows(Connection connection, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    String value = result.getString(i);
                    row.append(i == 1 ? "" : " | ").append(value == null ? "∅" : value);
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static Map<String, String> pairs(Connection connection, String sql) throws SQLException {
        Map<String, String> pairs = new TreeMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                pairs.put(rows.getString(1), rows.getString(2));
            }
        }
        return pairs;
    }
}
