package dev.levain.normalize.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The store-day rollup recomputed from the sales and refunds themselves, to check the one the normalizer keeps. */
public final class Rollups {

    /** How many store × day × channel rows of {@code core.daily_store_sales} differ from their recomputation. */
    public static final String DIFFERENCES = """
            WITH s AS (SELECT store_id, business_date, channel, sum(gross) AS g, sum(net) AS n, count(*) AS t
                       FROM core.sale WHERE status = 'completed' GROUP BY 1, 2, 3),
                 r AS (SELECT r.store_id, r.business_date, s.channel, sum(r.amount) AS a
                       FROM core.refund r JOIN core.sale s ON s.id = r.sale_id WHERE r.status = 'completed' GROUP BY 1, 2, 3),
                 e AS (SELECT store_id, business_date, channel, coalesce(g, 0) AS g, coalesce(a, 0) AS a,
                              coalesce(n, 0) - coalesce(a, 0) AS n, coalesce(t, 0) AS t
                       FROM s FULL JOIN r USING (store_id, business_date, channel))
            SELECT count(*) FROM e FULL JOIN core.daily_store_sales x USING (store_id, business_date, channel)
            WHERE coalesce(e.g, 0) <> coalesce(x.gross, 0) OR coalesce(e.n, 0) <> coalesce(x.net, 0)
               OR coalesce(e.t, 0) <> coalesce(x.transactions, 0) OR coalesce(e.a, 0) <> coalesce(x.refunds, 0)""";

    /** How many rows of {@code core.daily_customer_sales} differ from the completed sales of their customer. */
    public static final String CUSTOMER_DIFFERENCES = """
            WITH e AS (SELECT store_id, business_date, customer_id, count(*) AS t, sum(net) AS n FROM core.sale
                       WHERE status = 'completed' AND customer_id IS NOT NULL GROUP BY 1, 2, 3)
            SELECT count(*) FROM e FULL JOIN (SELECT * FROM core.daily_customer_sales WHERE transactions <> 0) x
                 USING (store_id, business_date, customer_id)
            WHERE coalesce(e.t, 0) <> coalesce(x.transactions, 0) OR coalesce(e.n, 0) <> coalesce(x.net, 0)""";

    // Rows at zero (a voided or moved sale's day) are what restating leaves behind; a rebuild does not write them.
    private static final String KEEP = """
            CREATE TEMP TABLE kept_store ON COMMIT DROP AS SELECT * FROM core.daily_store_sales
                WHERE (gross, discount, refunds, net, tax, cogs, transactions, anonymous_transactions, lines)
                      <> (0, 0, 0, 0, 0, 0, 0, 0, 0);
            CREATE TEMP TABLE kept_quarter ON COMMIT DROP AS SELECT * FROM core.quarter_hour_store_sales
                WHERE (gross, discount, refunds, net, tax, cogs, transactions, anonymous_transactions)
                      <> (0, 0, 0, 0, 0, 0, 0, 0);
            CREATE TEMP TABLE kept_product ON COMMIT DROP AS SELECT * FROM core.daily_product_sales
                WHERE (qty, gross, net, cogs, lines, returned_qty, refunds) <> (0, 0, 0, 0, 0, 0, 0);
            CREATE TEMP TABLE kept_customer ON COMMIT DROP AS SELECT * FROM core.daily_customer_sales
                WHERE (transactions, net) <> (0, 0);
            CREATE TEMP TABLE kept_first ON COMMIT DROP AS
                SELECT id, first_sale_at, first_business_date, first_store_id FROM core.customer;
            CREATE TEMP TABLE kept_new ON COMMIT DROP AS
                SELECT store_id, business_date, customers FROM core.daily_new_customers WHERE customers <> 0""";
    private static final String CHANGED = """
            SELECT (SELECT count(*) FROM ((TABLE kept_store EXCEPT SELECT * FROM core.daily_store_sales)
                    UNION ALL (SELECT * FROM core.daily_store_sales EXCEPT TABLE kept_store)) d)
                 + (SELECT count(*) FROM ((TABLE kept_quarter EXCEPT SELECT * FROM core.quarter_hour_store_sales)
                    UNION ALL (SELECT * FROM core.quarter_hour_store_sales EXCEPT TABLE kept_quarter)) d)
                 + (SELECT count(*) FROM ((TABLE kept_product EXCEPT SELECT * FROM core.daily_product_sales)
                    UNION ALL (SELECT * FROM core.daily_product_sales EXCEPT TABLE kept_product)) d)
                 + (SELECT count(*) FROM ((TABLE kept_customer EXCEPT SELECT * FROM core.daily_customer_sales)
                    UNION ALL (SELECT * FROM core.daily_customer_sales EXCEPT TABLE kept_customer)) d)
                 + (SELECT count(*) FROM (TABLE kept_first EXCEPT
                    SELECT id, first_sale_at, first_business_date, first_store_id FROM core.customer) d)
                 + (SELECT count(*) FROM ((TABLE kept_new EXCEPT TABLE first_purchases)
                    UNION ALL (TABLE first_purchases EXCEPT TABLE kept_new)) d)""";
    // Each store-day's first purchases as the rebuilt customers have them.
    private static final String FIRST_PURCHASES = """
            CREATE TEMP TABLE first_purchases ON COMMIT DROP AS
                SELECT first_store_id AS store_id, first_business_date AS business_date, count(*) AS customers
                FROM core.customer
                WHERE merged_into IS NULL AND first_store_id IS NOT NULL AND first_business_date IS NOT NULL
                GROUP BY 1, 2""";

    private Rollups() {
    }

    /**
     * How many rollup rows (store days and their quarter hours, product and customer days; customers' first
     * purchases and their count per
     * store-day, {@code core.daily_new_customers}) differ between what the
     * normalizer kept, restating batch after batch, and {@code core.rebuild_rollups} of every store: the one
     * definition of the rollups (V6) gives the same figures incrementally and at once. The rebuild is rolled back.
     */
    public static long changedByRebuild(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                for (String statement : KEEP.split(";\n")) {
                    sql.execute(statement);
                }
                sql.execute("SELECT core.rebuild_rollups(array(SELECT id FROM core.store))");
                sql.execute(FIRST_PURCHASES);
                try (ResultSet changed = sql.executeQuery(CHANGED)) {
                    changed.next();
                    return changed.getLong(1);
                }
            } finally {
                connection.rollback();
            }
        }
    }
}
