package dev.levain.devstack.simulator;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * PanPan's past, laid down once in schema {@code core} on a fresh data folder so that the first screen of
 * {@code levain up} has history: {@value #DAYS} days (13 months and more) up to yesterday of the three stores'
 * sales with their lines, weekday and seasonal patterns (Saturdays and Sundays busiest, August quiet, December
 * busy, a steady growth), the morning rush and the lunch peak, a pool of customers joining over time and the
 * oldest coming back most (the demo's live customers are among them), a few voids and refunds, and each
 * product's closing stock every day. The rollups and first purchases are then computed by normalize-service's
 * own definition of them ({@code core.rebuild_rollups}, its V6 migration): the same rollups live data gets.
 *
 * <p>Every row names one raw event, {@value #SOURCE}, as its origin (lineage: the model never holds a row
 * nothing accounts for). One transaction: an interrupted start leaves no half history, and the next start
 * lays it down again.
 */
public final class DemoHistory {

    public static final String SOURCE = "levain-demo-history";
    public static final int DAYS = 400;
    static final int CUSTOMERS = 3_000;
    /** The customers there from the first day: the regulars, the demo's live customers among them. */
    static final int REGULARS = 150;
    /** Of the sales to a known customer, the share to a passer-by who never comes back. */
    static final String ONE_OFF_SHARE = "0.2";

    // Per store and business day: how many sales (base × weekday × season × growth × noise).
    private static final String DAYS_SQL = """
            CREATE TEMP TABLE h_day ON COMMIT DROP AS
            SELECT st.id AS store_id, st.code, st.timezone, d.day::date AS day, d.i,
                   greatest(1, round(b.base * w.factor * m.factor * (1 + 0.12 * d.i / 365.0)
                                     * (0.9 + 0.2 * random())))::int AS sales
            FROM core.store st
            JOIN (VALUES ('PAR-BASTILLE', 150), ('PAR-MONTMARTRE', 120), ('PAR-DELIVERY', 45)) b(code, base)
                 ON b.code = st.code
            CROSS JOIN LATERAL (SELECT day, row_number() OVER (ORDER BY day) - 1 AS i
                                FROM generate_series((now() AT TIME ZONE st.timezone)::date - %1$d,
                                                     (now() AT TIME ZONE st.timezone)::date - 1, interval '1 day') day) d
            CROSS JOIN LATERAL (SELECT (ARRAY[0.85, 0.9, 0.95, 0.95, 1.05, 1.3, 1.2])[extract(isodow FROM d.day)::int]
                                       AS factor) w
            CROSS JOIN LATERAL (SELECT (ARRAY[1.05, 0.9, 0.95, 1.0, 1.0, 1.0, 0.85, 0.65, 1.0, 1.0, 1.05, 1.25])
                                       [extract(month FROM d.day)::int] AS factor) m""";
    // Customers n = 0 … CUSTOMERS − 1, the pool (client<n>@panpan.example, as the demo's tills and CRM name them;
    // the first REGULARS there from the first day, the others joining evenly over the history), then the
    // passers-by.
    private static final String PEOPLE_SQL = """
            CREATE TEMP TABLE h_person ON COMMIT DROP AS
            SELECT n, 'client' || n || '@panpan.example' AS email,
                   (ARRAY['Marie', 'Louis', 'Camille', 'Hugo', 'Léa', 'Jules', 'Chloé', 'Lucas', 'Emma', 'Nathan',
                          'Inès', 'Paul'])[1 + n %% 12] || ' '
                   || (ARRAY['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy',
                             'Moreau'])[1 + (n / 12) %% 10] AS name
            FROM generate_series(0, %1$d + (SELECT count(*) FROM h_sale WHERE one_off) - 1) n""";
    // A person the CRM (or anything else) already brought in keeps their customer; the others are created.
    private static final String CUSTOMERS_SQL = """
            INSERT INTO core.customer (email, name, version, received_at, created_at, updated_at)
            SELECT p.email, p.name, 0, now(), now(), now() FROM h_person p
            WHERE NOT EXISTS (SELECT 1 FROM core.customer_identity i WHERE i.source = 'email' AND i.source_id = p.email)
            ORDER BY p.n;
            INSERT INTO core.customer_identity (source, source_id, customer_id)
            SELECT 'email', c.email, c.id FROM core.customer c JOIN h_person p ON p.email = c.email
            WHERE c.merged_into IS NULL
            ON CONFLICT (source, source_id) DO NOTHING;
            CREATE TEMP TABLE h_customer ON COMMIT DROP AS
            SELECT p.n, i.customer_id AS id FROM h_person p
            JOIN core.customer_identity i ON i.source = 'email' AND i.source_id = p.email""";
    // Products in catalog order (bread first: the best-sellers), indexed from 0. A product the model already
    // holds without a price (an unknown SKU a till sold before the catalog arrived) is sold at the catalog's.
    private static final String PRODUCTS_SQL = """
            CREATE TEMP TABLE h_product ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY c.position) - 1 AS idx, p.id, coalesce(p.price, c.price) AS price,
                   coalesce(p.unit_cost, c.unit_cost) AS unit_cost,
                   coalesce(p.reorder_point, c.reorder_point) AS reorder_point
            FROM unnest(?::text[], ?::numeric[], ?::numeric[], ?::numeric[])
                 WITH ORDINALITY AS c(sku, price, unit_cost, reorder_point, position)
            JOIN core.product p ON p.sku = c.sku""";
    // Each sale: its time of day (45 % in the morning rush, 25 % at lunch, the rest spread over opening hours),
    // its customer (55 % known: mostly the pool's, among those joined by then the longest known most often, some
    // passers-by buying once) and its size.
    private static final String SALES_SQL = """
            CREATE TEMP TABLE h_sale ON COMMIT DROP AS
            SELECT nextval('core.sale_seq') AS id, d.store_id, d.day,
                   (d.day + t.local_time) AT TIME ZONE d.timezone AS occurred_at,
                   CASE WHEN d.code = 'PAR-DELIVERY' THEN 'delivery' ELSE 'in_store' END AS channel,
                   r.voided, r.refund_share,
                   CASE WHEN r.known AND NOT r.one_off
                        THEN floor(power(r.who, 2) * (%1$d + (%2$d - %1$d) * d.i / %3$d.0))::int END AS person,
                   r.known AND r.one_off AS one_off,
                   1 + floor(power(r.size, 1.8) * 4)::int AS line_count
            FROM h_day d
            CROSS JOIN LATERAL generate_series(1, d.sales) k
            CROSS JOIN LATERAL (SELECT random() + 0 * k AS slot, random() + 0 * k AS at, random() < 0.015 + 0 * k AS voided,
                                       CASE WHEN random() + 0 * k < 0.006 THEN 0.2 + 0.8 * random() ELSE 0 END AS refund_share,
                                       random() + 0 * k < 0.55 AS known, random() + 0 * k < %4$s AS one_off,
                                       random() + 0 * k AS who,
                                       random() + 0 * k AS size) r
            CROSS JOIN LATERAL (SELECT CASE WHEN r.slot < 0.45 THEN interval '7 hours' + r.at * interval '150 minutes'
                                            WHEN r.slot < 0.70 THEN interval '11 hours 45 minutes' + r.at * interval '2 hours'
                                            ELSE interval '7 hours' + r.at * interval '13 hours' END AS local_time) t""";
    // Each passer-by a person of their own, numbered after the pool.
    private static final String ONE_OFFS_SQL = """
            UPDATE h_sale s SET person = %1$d + o.k
            FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM h_sale WHERE one_off) o
            WHERE o.id = s.id""";
    private static final String LINES_SQL = """
            CREATE TEMP TABLE h_line ON COMMIT DROP AS
            SELECT x.sale_id, x.line_no, p.id AS product_id, x.qty, p.price AS unit_price, d.discount,
                   round(x.qty * p.price, 2) - d.discount AS net, p.unit_cost
            FROM (SELECT s.id AS sale_id, l AS line_no, (1 + floor(power(random() + 0 * l, 3) * 3))::numeric AS qty,
                         floor(power(random() + 0 * l, 1.7) * (SELECT count(*) FROM h_product))::int AS idx,
                         random() + 0 * l < 0.05 AS discounted
                  FROM h_sale s CROSS JOIN LATERAL generate_series(1, s.line_count) l) x
            JOIN h_product p ON p.idx = x.idx
            CROSS JOIN LATERAL (SELECT CASE WHEN x.discounted THEN round(x.qty * p.price * 0.10, 2) ELSE 0 END
                                       AS discount) d""";
    private static final String SALE_ROWS_SQL = """
            INSERT INTO core.sale (id, source, source_id, store_id, customer_id, occurred_at, business_date, status,
                                   currency, gross, discount, tax, net, version, received_at, raw_event_id, channel,
                                   refunded, updated_at)
            SELECT s.id, ?, 'H-' || s.id, s.store_id, c.id, s.occurred_at, s.day,
                   CASE WHEN s.voided THEN 'voided' ELSE 'completed' END, 'EUR', l.gross, l.discount,
                   round((l.gross - l.discount) * 0.055, 2), l.gross - l.discount, 1, s.occurred_at + interval '2 seconds',
                   ?, s.channel,
                   CASE WHEN s.voided THEN 0 ELSE round((l.gross - l.discount) * s.refund_share::numeric, 2) END,
                   s.occurred_at + interval '2 seconds'
            FROM h_sale s
            JOIN (SELECT sale_id, sum(round(qty * unit_price, 2)) AS gross, sum(discount) AS discount
                  FROM h_line GROUP BY sale_id) l ON l.sale_id = s.id
            LEFT JOIN h_customer c ON c.n = s.person""";
    // A refund a day or two after its sale (never later than yesterday's close).
    private static final String REFUNDS_SQL = """
            INSERT INTO core.refund (source, source_id, sale_source, sale_source_id, sale_id, store_id, occurred_at,
                                     business_date, status, amount, currency, version, received_at, raw_event_id)
            SELECT s.source, 'H-R-' || s.id, s.source, s.source_id, s.id, s.store_id, r.at,
                   (r.at AT TIME ZONE st.timezone)::date, 'completed', s.refunded, s.currency, 1, r.at, ?
            FROM core.sale s JOIN core.store st ON st.id = s.store_id
            CROSS JOIN LATERAL (SELECT least(s.occurred_at + (1 + random() + 0 * s.id) * interval '1 day',
                                             date_trunc('day', now() AT TIME ZONE st.timezone) AT TIME ZONE st.timezone
                                             - interval '1 hour') AS at) r
            WHERE s.source = ? AND s.refunded > 0""";
    // Each sale and refund linked to the raw event it came from, as the normalizer links what it writes: the
    // dashboard's "where does this figure come from" answers for history days too.
    private static final String LINEAGE_SQL = """
            INSERT INTO core.lineage (entity, entity_id, raw_event_id)
            SELECT 'sale', id, raw_event_id FROM core.sale WHERE source = ?
            UNION ALL
            SELECT 'refund', id, raw_event_id FROM core.refund WHERE source = ?
            ORDER BY 1, 2""";
    // Each product's closing stock every day (between 1.5 and 4 × its reorder point: restocked daily), the last
    // one as its current level.
    private static final String STOCK_SQL = """
            INSERT INTO core.daily_inventory (store_id, product_id, business_date, closing_on_hand, as_of)
            SELECT d.store_id, p.id, d.day, round(coalesce(p.reorder_point, 10) * (1.5 + 2.5 * random() + 0 * p.id)),
                   (d.day + interval '20 hours') AT TIME ZONE d.timezone
            FROM h_day d CROSS JOIN h_product p
            ON CONFLICT (store_id, product_id, business_date) DO NOTHING;
            INSERT INTO core.inventory_level (product_id, store_id, source, on_hand, as_of, received_at, version,
                                              raw_event_id)
            SELECT DISTINCT ON (product_id, store_id) product_id, store_id, ?, closing_on_hand, as_of, as_of, 0, ?
            FROM core.daily_inventory WHERE product_id IN (SELECT id FROM h_product)
            ORDER BY product_id, store_id, business_date DESC
            ON CONFLICT (product_id, store_id) DO NOTHING""";

    private DemoHistory() {
    }

    /**
     * Lays the history down unless the model already holds a sale (not a fresh data folder). The stores must
     * exist (normalize-service writes them at start); products of the catalog missing yet are added.
     *
     * @return the sales laid down, 0 when there was history already
     */
    public static long layDown(String jdbcUrl, String user, String password) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            connection.setAutoCommit(false);
            try (Statement sql = connection.createStatement()) {
                // One history at a time, and none over a model that already has sales.
                sql.execute("LOCK TABLE core.sale IN SHARE ROW EXCLUSIVE MODE");
                if (exists(sql, "SELECT EXISTS (SELECT 1 FROM core.sale)")) {
                    connection.rollback();
                    return 0;
                }
                sql.execute("SET LOCAL work_mem = '128MB'");
                long rawEvent = rawEvent(connection);
                products(connection);
                sql.execute(DAYS_SQL.formatted(DAYS));
                try (PreparedStatement catalog = connection.prepareStatement(PRODUCTS_SQL)) {
                    List<PanPanCatalog.Product> products = PanPanCatalog.PRODUCTS;
                    catalog.setArray(1, connection.createArrayOf("text",
                            products.stream().map(PanPanCatalog.Product::sku).toArray()));
                    catalog.setArray(2, connection.createArrayOf("numeric",
                            products.stream().map(PanPanCatalog.Product::price).toArray()));
                    catalog.setArray(3, connection.createArrayOf("numeric",
                            products.stream().map(PanPanCatalog.Product::unitCost).toArray()));
                    catalog.setArray(4, connection.createArrayOf("numeric",
                            products.stream().map(PanPanCatalog.Product::reorderPoint).toArray()));
                    catalog.execute();
                }
                sql.execute(SALES_SQL.formatted(REGULARS, CUSTOMERS, DAYS, ONE_OFF_SHARE));
                sql.execute(ONE_OFFS_SQL.formatted(CUSTOMERS));
                sql.execute(PEOPLE_SQL.formatted(CUSTOMERS));
                for (String statement : CUSTOMERS_SQL.split(";\n")) {
                    sql.execute(statement);
                }
                sql.execute(LINES_SQL);
                update(connection, SALE_ROWS_SQL, SOURCE, rawEvent);
                sql.execute("INSERT INTO core.sale_line (sale_id, line_no, product_id, qty, unit_price, discount, net, "
                        + "unit_cost) SELECT sale_id, line_no, product_id, qty, unit_price, discount, net, unit_cost "
                        + "FROM h_line ORDER BY sale_id, line_no");
                update(connection, REFUNDS_SQL, rawEvent, SOURCE);
                update(connection, LINEAGE_SQL, SOURCE, SOURCE);
                String[] stock = STOCK_SQL.split(";\n");
                sql.execute(stock[0]);
                update(connection, stock[1], SOURCE, rawEvent);
                sql.execute("ANALYZE core.sale, core.sale_line, core.refund, core.customer");
                sql.execute("SELECT core.rebuild_rollups(array(SELECT DISTINCT store_id FROM h_day))");
                long sales;
                try (ResultSet count = sql.executeQuery("SELECT count(*) FROM h_sale")) {
                    count.next();
                    sales = count.getLong(1);
                }
                connection.commit();
                return sales;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static long rawEvent(Connection connection) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO core.raw_event (event_id, source, type, topic, kafka_partition, kafka_offset, headers,
                                            payload, received_at, content_type)
                VALUES (?, ?, 'dev.levain.demo.history', ?, 0, 0, '{}'::jsonb, convert_to(?, 'UTF8'), now(), 'text/plain')
                ON CONFLICT DO NOTHING""")) {
            insert.setString(1, SOURCE);
            insert.setString(2, SOURCE);
            insert.setString(3, SOURCE);
            insert.setString(4, "PanPan's history before Levain, laid down by levain up (" + DAYS + " days)");
            insert.executeUpdate();
        }
        try (PreparedStatement find = connection.prepareStatement("SELECT id FROM core.raw_event WHERE topic = ? "
                + "AND kafka_partition = 0 AND kafka_offset = 0")) {
            find.setString(1, SOURCE);
            try (ResultSet row = find.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** The catalog's products the model does not have yet (the inventory pull brings them too, later or sooner). */
    private static void products(Connection connection) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO core.product (sku, name, category, price, unit_cost, reorder_point, source, version,
                                          received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0, now()) ON CONFLICT (sku) DO NOTHING""")) {
            for (PanPanCatalog.Product product : PanPanCatalog.PRODUCTS) {
                insert.setString(1, product.sku());
                insert.setString(2, product.name());
                insert.setString(3, product.category());
                insert.setBigDecimal(4, product.price());
                insert.setBigDecimal(5, product.unitCost());
                insert.setInt(6, product.reorderPoint());
                insert.setString(7, SOURCE);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void update(Connection connection, String statement, Object... parameters) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                update.setObject(i + 1, parameters[i]);
            }
            update.executeUpdate();
        }
    }

    private static boolean exists(Statement sql, String query) throws SQLException {
        try (ResultSet row = sql.executeQuery(query)) {
            return row.next() && row.getBoolean(1);
        }
    }

    /** The store codes the history covers. */
    public static List<String> stores() {
        return PanPanCatalog.STORES.stream().map(PanPanCatalog.Store::code).toList();
    }
}
