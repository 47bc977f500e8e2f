package dev.levain.devstack.bench;

import dev.levain.devstack.postgres.PostgresServer;
import dev.levain.devstack.simulator.PanPanCatalog;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;

/**
 * A PanPan-shaped history written straight into schema {@code core} with set-based SQL, for the API
 * benchmark: 3 stores (one in New York, so business dates differ from Paris's), ~300 products,
 * customers joining over two years, sales of 3 to 5 lines in two channels, voids, refunds, stock
 * levels and daily closing counts. The rollups and first purchases are then computed from those rows
 * the way the normalizer keeps them (V2__full_model.sql's back-fill), so the KPI endpoints read what
 * they would read in production.
 */
public final class KpiDataSet {

    /** Stores: two in Paris, one in another time zone. Weights are shares of the sales. */
    static final List<Store> STORES = List.of(
            new Store(1, "PAR-BASTILLE", "PanPan Bastille", "Europe/Paris", 0.40),
            new Store(2, "PAR-MONTMARTRE", "PanPan Montmartre", "Europe/Paris", 0.35),
            new Store(3, "NYC-SOHO", "PanPan SoHo", "America/New_York", 0.25));
    static final int PRODUCTS = 300;
    static final double IDENTIFIED_SHARE = 0.60;
    static final double DELIVERY_SHARE = 0.20;
    static final double VOIDED_SHARE = 0.02;
    static final double REFUNDED_SHARE = 0.01;
    static final long SALES_PER_CHUNK = 250_000;
    /** Changes whenever the generated history does, so that a kept data set of an older shape is loaded again. */
    public static final int VERSION = 2;

    /** The raw events every generated row names as its origin (core requires one). */
    static final long SALES_EVENT = 1;
    static final long REFUNDS_EVENT = 2;
    static final long INVENTORY_EVENT = 3;

    record Store(int id, String code, String name, String timezone, double share) {
    }

    /**
     * The size of the history: {@code lines} sale lines over {@code days} days, a sale per 4 lines
     * (3, 4 or 5 in turn), one customer per 50 lines (200,000 for 10 million lines).
     */
    public record Shape(long lines, int days) {

        public long sales() {
            return Math.max(3, lines / 4);
        }

        public int customers() {
            return (int) Math.max(1_000, lines / 50);
        }
    }

    private static final String LINES = """
            INSERT INTO core.sale_line (sale_id, line_no, product_id, qty, unit_price, discount, net, unit_cost)
            SELECT x.sale_id, x.line_no, p.id, x.qty, p.price, d.discount, round(x.qty * p.price, 2) - d.discount, p.unit_cost
            FROM (SELECT g AS sale_id, n AS line_no,
                         -- Half of the lines sell the 40 catalog best-sellers.
                         1 + floor(%3$d * power(random(), 3))::int AS product_id,
                         (1 + floor(power(random(), 4) * 6))::numeric AS qty,
                         random() < 0.08 AS discounted
                  FROM generate_series(%1$d::bigint, %2$d::bigint) g
                  CROSS JOIN LATERAL generate_series(1, 3 + (g %% 3)::int) n
                  OFFSET 0) x
            JOIN core.product p ON p.id = x.product_id
            CROSS JOIN LATERAL (SELECT CASE WHEN x.discounted THEN round(x.qty * p.price * 0.10, 2) ELSE 0 END AS discount) d""";

    // Sale days lean to recent ones (about +25 % a year) and follow the ids, as sales arrive in time
    // order (so rows of one day sit together, as in production); a customer can only buy once joined,
    // and customers join evenly over the whole history, the oldest buying most. Times fall in opening
    // hours, store-local; a time still to come today moves a week back.
    private static final String SALES = """
            INSERT INTO core.sale (id, source, source_id, store_id, customer_id, occurred_at, business_date, status,
                                   currency, gross, discount, tax, net, version, received_at, raw_event_id, channel,
                                   refunded, updated_at)
            SELECT id, 'pos', 'BENCH-' || id, store_id, customer_id, occurred_at, business_date,
                   CASE WHEN voided THEN 'voided' ELSE 'completed' END, 'EUR', gross, discount,
                   round((gross - discount) * 0.055, 2), gross - discount, 1, occurred_at + interval '2 seconds',
                   %5$d, channel, CASE WHEN voided THEN 0 ELSE round((gross - discount) * refund_share::numeric, 2) END,
                   occurred_at + interval '2 seconds'
            FROM (SELECT d.*, CASE WHEN d.at > now() THEN d.at - interval '7 days' ELSE d.at END AS occurred_at,
                         CASE WHEN d.at > now() THEN d.sale_day - 7 ELSE d.sale_day END AS business_date
                  FROM (SELECT r.*, sale_day, (sale_day + r.local_time) AT TIME ZONE st.timezone AS at
                        FROM (SELECT l.sale_id AS id, l.gross, l.discount,
                                     CASE WHEN random() < %3$s THEN 1 WHEN random() < %4$s THEN 2 ELSE 3 END AS store_id,
                                     floor(%6$d * power((l.sale_id - 0.5)::float8 / %12$d, 0.8))::int AS day_index,
                                     interval '7 hours' + random() * interval '13 hours' AS local_time,
                                     CASE WHEN random() < %7$s THEN 'delivery' ELSE 'in_store' END AS channel,
                                     random() < %8$s AS voided,
                                     CASE WHEN random() < %9$s THEN 0.2 + 0.8 * random() ELSE 0 END AS refund_share,
                                     random() AS identified, random() AS who
                              FROM (SELECT sale_id, sum(round(qty * unit_price, 2)) AS gross, sum(discount) AS discount
                                    FROM core.sale_line WHERE sale_id BETWEEN %1$d AND %2$d GROUP BY sale_id) l
                              OFFSET 0) r
                        JOIN core.store st ON st.id = r.store_id
                        CROSS JOIN LATERAL (SELECT (now() AT TIME ZONE st.timezone)::date - %6$d + 1 + r.day_index AS sale_day) t
                       ) d
                 ) s
            CROSS JOIN LATERAL (SELECT CASE WHEN s.identified < %10$s
                                            THEN 1 + floor(power(s.who, 1.3) * %11$d * (s.day_index + 1) / %6$d)::bigint
                                       END AS customer_id) c""";

    private static final String REFUNDS = """
            INSERT INTO core.refund (id, source, source_id, sale_source, sale_source_id, sale_id, store_id, occurred_at,
                                     business_date, status, amount, currency, version, received_at, raw_event_id)
            SELECT row_number() OVER (ORDER BY s.id), 'pos', 'BENCH-R-' || s.id, s.source, s.source_id, s.id, s.store_id,
                   r.at, (r.at AT TIME ZONE st.timezone)::date, 'completed', s.refunded, s.currency, 1, r.at, %d
            FROM core.sale s JOIN core.store st ON st.id = s.store_id
            CROSS JOIN LATERAL (SELECT least(s.occurred_at + random() * interval '3 days', now()) AS at) r
            WHERE s.refunded > 0""";

    private static final String CUSTOMERS = """
            INSERT INTO core.customer (id, email, phone, name, marketing_opt_in, version, received_at, created_at, updated_at)
            SELECT i, 'client' || i || '@bench.panpan.example', '+336' || lpad((10000000 + i)::text, 8, '0'),
                   'Client ' || i, i %% 3 = 0, 1, now(), now(), now()
            FROM generate_series(1, %d) i""";

    private static final String PRODUCTS_BEYOND_CATALOG = """
            INSERT INTO core.product (id, sku, name, category, price, unit_cost, reorder_point, source, version,
                                      received_at)
            SELECT i, 'BENCH-' || lpad(i::text, 4, '0'), 'Produit ' || i,
                   (ARRAY['bread', 'viennoiserie', 'patisserie', 'snacking', 'boissons', 'epicerie'])[1 + i %% 6],
                   price, round(price * (0.25 + 0.1 * random())::numeric, 2), 5 + (i * 7) %% 40, 'inventory', 1, now()
            FROM (SELECT i, round((1 + random() * 9)::numeric, 2) AS price FROM generate_series(%d, %d) i) x""";

    // About 4 % of product x store are out of stock and 11 %% low, now.
    private static final String LEVELS = """
            INSERT INTO core.inventory_level (product_id, store_id, source, on_hand, previous_on_hand, as_of, received_at,
                                              version, raw_event_id, updated_at)
            SELECT product_id, store_id, 'inventory', on_hand, on_hand + 1, as_of, as_of, 1, %d, as_of
            FROM (SELECT product_id, store_id, now() - random() * interval '2 hours' AS as_of,
                         CASE WHEN r < 0.04 THEN 0
                              WHEN r < 0.15 THEN floor(1 + random() * reorder_point)
                              ELSE floor(reorder_point * (1.2 + 2.5 * random())) END AS on_hand
                  FROM (SELECT p.id AS product_id, st.id AS store_id, p.reorder_point, random() AS r
                        FROM core.product p CROSS JOIN core.store st OFFSET 0) x) y""";

    // A closing count per product, store and day until yesterday, day after day; today's is the level now.
    private static final String DAILY_INVENTORY = """
            INSERT INTO core.daily_inventory (store_id, product_id, business_date, closing_on_hand, as_of)
            SELECT * FROM (
                SELECT st.id, p.id, d::date, floor(p.reorder_point * (0.8 + 2.5 * random())),
                       (d::date + time '20:00') AT TIME ZONE st.timezone
                FROM core.store st CROSS JOIN core.product p
                CROSS JOIN LATERAL generate_series(((now() AT TIME ZONE st.timezone)::date - %1$d + 1)::timestamp,
                                                   ((now() AT TIME ZONE st.timezone)::date - 1)::timestamp,
                                                   interval '1 day') d
                ORDER BY 3, 1, 2) history
            UNION ALL
            SELECT l.store_id, l.product_id, (now() AT TIME ZONE st.timezone)::date, l.on_hand, l.as_of
            FROM core.inventory_level l JOIN core.store st ON st.id = l.store_id""";

    private static final List<String> COUNTED = List.of("store", "product", "customer", "customer_identity", "sale",
            "sale_line", "refund", "inventory_level", "daily_inventory", "daily_store_sales", "daily_product_sales",
            "daily_customer_sales");

    private final Shape shape;
    private final Consumer<String> progress;

    public KpiDataSet(Shape shape, Consumer<String> progress) {
        this.shape = shape;
        this.progress = progress;
    }

    /** Creates schema {@code core} with normalize-service's own migrations, read from its sources under {@code home}. */
    public static void createSchema(String jdbcUrl, Path home) {
        Flyway.configure().dataSource(jdbcUrl, PostgresServer.SUPERUSER, PostgresServer.PASSWORD)
                .schemas("core").createSchemas(true)
                .locations("filesystem:" + home.resolve("normalize-service/src/main/resources/db/core"))
                .load().migrate();
    }

    /**
     * Fills an empty, migrated schema {@code core}. Foreign keys are not checked row by row (the
     * generator makes them hold, and the unit test checks it): the load runs as a replica would.
     */
    public void load(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("SET session_replication_role = replica");
            sql.execute("SET work_mem = '256MB'");
            sql.execute("SET maintenance_work_mem = '512MB'");
            sql.execute("SET synchronous_commit = off");
            long begin = System.nanoTime();
            masterData(connection, sql);
            step("master data: 3 stores, %d products, %,d customers".formatted(PRODUCTS, shape.customers()), begin);
            for (long first = 1; first <= shape.sales(); first += SALES_PER_CHUNK) {
                long last = Math.min(shape.sales(), first + SALES_PER_CHUNK - 1);
                sql.executeUpdate(LINES.formatted(first, last, PRODUCTS));
                sql.executeUpdate(salesSql(first, last));
                step("sales %,d of %,d".formatted(last, shape.sales()), begin);
            }
            sql.executeUpdate(REFUNDS.formatted(REFUNDS_EVENT));
            sql.executeUpdate(LEVELS.formatted(INVENTORY_EVENT));
            sql.executeUpdate(DAILY_INVENTORY.formatted(shape.days()));
            step("refunds, stock levels and daily closing counts", begin);
            // The rollups by normalize-service's own definition of them (its V6 migration), all at once.
            sql.execute("ANALYZE core.sale, core.sale_line, core.refund, core.customer");
            sql.execute("SELECT core.rebuild_rollups(array(SELECT id FROM core.store))");
            step("rollups and first purchases", begin);
            for (String sequence : List.of("raw_event", "store", "product", "customer", "sale", "refund")) {
                sql.execute("SELECT setval('core.%1$s_seq', (SELECT coalesce(max(id), 1) FROM core.%1$s))".formatted(sequence));
            }
            sql.execute("RESET session_replication_role");
            // What autovacuum would have done over two years: statistics, and visibility maps for index-only scans.
            sql.execute("VACUUM (ANALYZE)");
            step("VACUUM (ANALYZE)", begin);
        }
    }

    private String salesSql(long first, long last) {
        double bastille = STORES.get(0).share();
        // The second draw is conditional on the first failing.
        double montmartre = STORES.get(1).share() / (1 - bastille);
        return SALES.formatted(first, last, bastille, montmartre, SALES_EVENT, shape.days(), DELIVERY_SHARE, VOIDED_SHARE,
                REFUNDED_SHARE, IDENTIFIED_SHARE, shape.customers(), shape.sales());
    }

    private void masterData(Connection connection, Statement sql) throws SQLException {
        sql.execute("""
                INSERT INTO core.raw_event (id, event_id, source, type, event_time, topic, kafka_partition, kafka_offset,
                                            headers, payload, received_at, content_type)
                VALUES (1, 'bench-sales', 'levain/bench/panpan', 'levain.raw.pos.sale', now(), 'levain.raw.pos', 0, 0,
                        '{}', convert_to('{"generated":"sales"}', 'UTF8'), now(), 'application/json'),
                       (2, 'bench-refunds', 'levain/bench/panpan', 'levain.raw.pos.refund', now(), 'levain.raw.pos', 0, 1,
                        '{}', convert_to('{"generated":"refunds"}', 'UTF8'), now(), 'application/json'),
                       (3, 'bench-inventory', 'levain/bench/panpan', 'levain.raw.inventory.level', now(),
                        'levain.raw.inventory', 0, 0, '{}', convert_to('{"generated":"levels"}', 'UTF8'), now(),
                        'application/json')""");
        try (PreparedStatement store = connection.prepareStatement(
                "INSERT INTO core.store (id, code, name, timezone, currency, opening_hours) VALUES (?, ?, ?, ?, 'EUR', ?::jsonb)")) {
            for (Store s : STORES) {
                store.setInt(1, s.id());
                store.setString(2, s.code());
                store.setString(3, s.name());
                store.setString(4, s.timezone());
                store.setString(5, PanPanCatalog.OPENING_HOURS);
                store.addBatch();
            }
            store.executeBatch();
        }
        try (PreparedStatement product = connection.prepareStatement("""
                INSERT INTO core.product (id, sku, name, category, price, unit_cost, reorder_point, source, version, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'inventory', 1, now())""")) {
            int id = 0;
            for (PanPanCatalog.Product p : PanPanCatalog.PRODUCTS) {
                product.setInt(1, ++id);
                product.setString(2, p.sku());
                product.setString(3, p.name());
                product.setString(4, p.category());
                product.setBigDecimal(5, p.price());
                product.setBigDecimal(6, p.unitCost());
                product.setInt(7, p.reorderPoint());
                product.addBatch();
            }
            product.executeBatch();
        }
        sql.executeUpdate(PRODUCTS_BEYOND_CATALOG.formatted(PanPanCatalog.PRODUCTS.size() + 1, PRODUCTS));
        sql.executeUpdate(CUSTOMERS.formatted(shape.customers()));
        sql.executeUpdate("INSERT INTO core.customer_identity (source, source_id, customer_id)"
                + " SELECT 'email', email, id FROM core.customer");
        sql.executeUpdate("INSERT INTO core.customer_identity (source, source_id, customer_id)"
                + " SELECT 'crm', 'CRM-' || id, id FROM core.customer");
    }

    private void step(String what, long begin) {
        progress.accept("  %6.1f s  %s".formatted((System.nanoTime() - begin) / 1e9, what));
    }

    /** Rows per table of {@code core}, in a stable order. */
    public static Map<String, Long> counts(Connection connection) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Statement sql = connection.createStatement()) {
            for (String table : COUNTED) {
                try (ResultSet rows = sql.executeQuery("SELECT count(*) FROM core." + table)) {
                    rows.next();
                    counts.put(table, rows.getLong(1));
                }
            }
        }
        return counts;
    }
}
