package dev.levain.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levain.devstack.postgres.PostgresServer;
import dev.levain.devstack.test.ThrowAwayPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generated history holds together the way the normalizer would have written it. */
class KpiDataSetTest {

    private static final KpiDataSet.Shape SHAPE = new KpiDataSet.Shape(12_000, 120);

    private static ThrowAwayPostgres postgres;

    @BeforeAll
    static void load() throws SQLException {
        postgres = ThrowAwayPostgres.start("levain-kpi-dataset-test-");
        KpiDataSet.createSchema(postgres.jdbcUrl(), Path.of("..").toAbsolutePath().normalize());
        try (Connection connection = connect()) {
            new KpiDataSet(SHAPE, line -> { }).load(connection);
        }
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void salesHaveTheirLinesAndAddUp() throws SQLException {
        assertThat(number("SELECT count(*) FROM core.sale")).isEqualTo(SHAPE.sales());
        assertThat(number("SELECT count(*) FROM core.sale_line")).isBetween(SHAPE.lines() - 2, SHAPE.lines() + 2);
        assertThat(number("""
                SELECT count(*) FROM core.sale s
                JOIN (SELECT sale_id, min(line_no) AS first, max(line_no) AS last, count(*) AS n,
                             sum(round(qty * unit_price, 2)) AS gross, sum(discount) AS discount
                      FROM core.sale_line GROUP BY sale_id) l ON l.sale_id = s.id
                WHERE l.first = 1 AND l.last = l.n AND l.n BETWEEN 3 AND 5
                  AND s.gross = l.gross AND s.discount = l.discount AND s.net = s.gross - s.discount""")).isEqualTo(SHAPE.sales());
    }

    @Test
    void foreignKeysHoldThoughTheLoadSkippedTheirChecks() throws SQLException {
        assertThat(number("SELECT count(*) FROM core.sale_line l LEFT JOIN core.sale s ON s.id = l.sale_id"
                + " LEFT JOIN core.product p ON p.id = l.product_id WHERE s.id IS NULL OR p.id IS NULL")).isZero();
        assertThat(number("SELECT count(*) FROM core.sale s LEFT JOIN core.customer c ON c.id = s.customer_id"
                + " LEFT JOIN core.store st ON st.id = s.store_id"
                + " WHERE (s.customer_id IS NOT NULL AND c.id IS NULL) OR st.id IS NULL")).isZero();
        assertThat(number("SELECT count(*) FROM core.refund r LEFT JOIN core.sale s ON s.id = r.sale_id"
                + " WHERE s.id IS NULL OR s.status <> 'completed' OR r.amount <> s.refunded OR r.amount > s.net")).isZero();
    }

    @Test
    void businessDatesAreStoreLocalAndNothingIsInTheFuture() throws SQLException {
        assertThat(number("SELECT count(*) FROM core.sale s JOIN core.store st ON st.id = s.store_id"
                + " WHERE s.business_date <> (s.occurred_at AT TIME ZONE st.timezone)::date OR s.occurred_at > now()")).isZero();
        assertThat(number("SELECT count(*) FROM core.refund r JOIN core.store st ON st.id = r.store_id"
                + " WHERE r.business_date <> (r.occurred_at AT TIME ZONE st.timezone)::date OR r.occurred_at > now()")).isZero();
        // New York's evening sales are the next day in Paris: the store's own zone decides.
        assertThat(number("SELECT count(*) FROM core.sale s WHERE s.store_id = 3"
                + " AND s.business_date <> (s.occurred_at AT TIME ZONE 'Europe/Paris')::date")).isPositive();
    }

    @Test
    void storeRollupsAreWhatTheNormalizerWouldHaveKept() throws SQLException {
        // V2__full_model.sql's back-fill, then every refund taken off on its own day.
        String expected = """
                SELECT store_id, business_date, channel, sum(gross) AS gross, sum(discount) AS discount,
                       sum(refunds) AS refunds, sum(net) AS net, sum(tax) AS tax, sum(cogs) AS cogs,
                       sum(transactions) AS transactions, sum(anonymous_transactions) AS anonymous_transactions,
                       sum(lines) AS lines
                FROM (SELECT s.store_id, s.business_date, s.channel, s.gross, s.discount, 0 AS refunds, s.net, s.tax,
                             (SELECT coalesce(sum(round(l.qty * l.unit_cost, 2)), 0) FROM core.sale_line l WHERE l.sale_id = s.id) AS cogs,
                             1 AS transactions, CASE WHEN s.customer_id IS NULL THEN 1 ELSE 0 END AS anonymous_transactions,
                             (SELECT count(*) FROM core.sale_line l WHERE l.sale_id = s.id) AS lines
                      FROM core.sale s WHERE s.status = 'completed'
                      UNION ALL
                      SELECT r.store_id, r.business_date, s.channel, 0, 0, r.amount, -r.amount, 0, 0, 0, 0, 0
                      FROM core.refund r JOIN core.sale s ON s.id = r.sale_id WHERE r.status = 'completed') x
                GROUP BY 1, 2, 3""";
        String actual = "SELECT store_id, business_date, channel, gross, discount, refunds, net, tax, cogs, transactions,"
                + " anonymous_transactions, lines FROM core.daily_store_sales";
        assertThat(number("SELECT count(*) FROM ((" + expected + ") EXCEPT (" + actual + ")) d")).isZero();
        assertThat(number("SELECT count(*) FROM ((" + actual + ") EXCEPT (" + expected + ")) d")).isZero();
    }

    @Test
    void productAndCustomerRollupsAndFirstPurchasesAddUp() throws SQLException {
        assertThat(number("SELECT sum(qty)::bigint FROM core.daily_product_sales")).isEqualTo(number(
                "SELECT sum(l.qty)::bigint FROM core.sale_line l JOIN core.sale s ON s.id = l.sale_id WHERE s.status = 'completed'"));
        assertThat(number("SELECT sum(transactions) FROM core.daily_customer_sales")).isEqualTo(number(
                "SELECT count(*) FROM core.sale WHERE status = 'completed' AND customer_id IS NOT NULL"));
        assertThat(number("""
                SELECT count(*) FROM core.customer c
                LEFT JOIN (SELECT customer_id, min(occurred_at) AS first FROM core.sale
                           WHERE status = 'completed' AND customer_id IS NOT NULL GROUP BY 1) f ON f.customer_id = c.id
                WHERE c.first_sale_at IS DISTINCT FROM f.first""")).isZero();
    }

    @Test
    void mixLooksLikePanPan() throws SQLException {
        double sales = SHAPE.sales();
        assertThat(number("SELECT count(*) FROM core.sale WHERE customer_id IS NOT NULL") / sales).isBetween(0.55, 0.65);
        assertThat(number("SELECT count(*) FROM core.sale WHERE channel = 'delivery'") / sales).isBetween(0.15, 0.25);
        assertThat(number("SELECT count(*) FROM core.sale WHERE status = 'voided'")).isPositive();
        assertThat(number("SELECT count(DISTINCT store_id) FROM core.sale")).isEqualTo(3);
        assertThat(number("SELECT count(DISTINCT CASE WHEN on_hand <= 0 THEN 'out' WHEN on_hand <= p.reorder_point"
                + " THEN 'low' ELSE 'ok' END) FROM core.inventory_level l JOIN core.product p ON p.id = l.product_id")).isEqualTo(3);
        // Customers keep joining: some make their first purchase in the last month.
        assertThat(number("SELECT count(*) FROM core.customer WHERE first_business_date > current_date - 30")).isPositive();
    }

    private static long number(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.SUPERUSER, PostgresServer.PASSWORD);
    }
}
