package dev.levain.normalize.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * The KPI rollups (DESIGN.md §4), kept exact in the transaction that writes the model: a sale's
 * contribution is subtracted before the sale changes and added back after, so a correction, a
 * void or a late event restates the right day. The deltas commute (each statement adds to what is
 * stored), so two transactions restating one store's day at once both count; rows are written
 * in one order of tables and keys, so they do not wait on each other crosswise.
 */
@ApplicationScoped
public class RollupRepository {

    // Sales and refunds restate a store's day in one statement, so its rows are locked once, in key order.
    private static final String STORE_SALES = """
            INSERT INTO core.daily_store_sales AS d (store_id, business_date, channel, gross, discount, refunds, net, tax,
                                                     cogs, transactions, anonymous_transactions, lines)
            SELECT store_id, business_date, channel, sum(gross), sum(discount), sum(refunds), sum(net), sum(tax), sum(cogs),
                   sum(transactions), sum(anonymous_transactions), sum(lines)
            FROM (SELECT s.store_id, s.business_date, s.channel, %1$s s.gross AS gross, %1$s s.discount AS discount,
                         0 AS refunds, %1$s s.net AS net, %1$s s.tax AS tax, %1$s l.cogs AS cogs, %1$s 1 AS transactions,
                         %1$s (s.customer_id IS NULL)::int AS anonymous_transactions, %1$s l.lines AS lines
                  FROM core.sale s
                  CROSS JOIN LATERAL (SELECT count(*) AS lines, coalesce(sum(round(x.qty * x.unit_cost, 2)), 0) AS cogs
                                      FROM core.sale_line x WHERE x.sale_id = s.id) l
                  WHERE s.id = ANY (?) AND s.status = 'completed'
                  UNION ALL
                  SELECT r.store_id, r.business_date, s.channel, 0, 0, %1$s r.amount, -(%1$s r.amount), 0, 0, 0, 0, 0
                  FROM core.refund r JOIN core.sale s ON s.id = r.sale_id
                  WHERE r.id = ANY (?) AND r.status = 'completed') c
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (store_id, business_date, channel) DO UPDATE SET
                gross = d.gross + EXCLUDED.gross, discount = d.discount + EXCLUDED.discount,
                refunds = d.refunds + EXCLUDED.refunds, net = d.net + EXCLUDED.net, tax = d.tax + EXCLUDED.tax,
                cogs = d.cogs + EXCLUDED.cogs, transactions = d.transactions + EXCLUDED.transactions,
                anonymous_transactions = d.anonymous_transactions + EXCLUDED.anonymous_transactions,
                lines = d.lines + EXCLUDED.lines""";
    private static final String PRODUCT_SALES = """
            INSERT INTO core.daily_product_sales AS d (store_id, business_date, product_id, qty, gross, net, cogs, lines)
            SELECT s.store_id, s.business_date, x.product_id, %1$s sum(x.qty), %1$s sum(round(x.qty * x.unit_price, 2)),
                   %1$s sum(x.net), %1$s coalesce(sum(round(x.qty * x.unit_cost, 2)), 0), %1$s count(*)
            FROM core.sale s JOIN core.sale_line x ON x.sale_id = s.id
            WHERE s.id = ANY (?) AND s.status = 'completed'
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (store_id, business_date, product_id) DO UPDATE SET
                qty = d.qty + EXCLUDED.qty, gross = d.gross + EXCLUDED.gross, net = d.net + EXCLUDED.net,
                cogs = d.cogs + EXCLUDED.cogs, lines = d.lines + EXCLUDED.lines""";
    private static final String CUSTOMER_SALES = """
            INSERT INTO core.daily_customer_sales AS d (store_id, business_date, customer_id, transactions, net)
            SELECT s.store_id, s.business_date, s.customer_id, %1$s count(*), %1$s sum(s.net)
            FROM core.sale s
            WHERE s.id = ANY (?) AND s.status = 'completed' AND s.customer_id IS NOT NULL
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (store_id, business_date, customer_id) DO UPDATE SET
                transactions = d.transactions + EXCLUDED.transactions, net = d.net + EXCLUDED.net""";
    private static final String REBUILD_CUSTOMERS = """
            WITH gone AS (DELETE FROM core.daily_customer_sales WHERE customer_id = ANY (?))
            INSERT INTO core.daily_customer_sales (store_id, business_date, customer_id, transactions, net)
            SELECT store_id, business_date, customer_id, count(*), sum(net) FROM core.sale
            WHERE customer_id = ANY (?) AND status = 'completed'
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (store_id, business_date, customer_id) DO UPDATE SET
                transactions = EXCLUDED.transactions, net = EXCLUDED.net""";
    private static final String FIRST_PURCHASES = """
            UPDATE core.customer c SET first_sale_at = f.occurred_at, first_business_date = f.business_date,
                                       first_store_id = f.store_id
            FROM unnest(?::bigint[]) AS t(id)
            LEFT JOIN LATERAL (SELECT occurred_at, business_date, store_id FROM core.sale
                               WHERE customer_id = t.id AND status = 'completed'
                               ORDER BY occurred_at, id LIMIT 1) f ON true
            WHERE c.id = t.id AND c.merged_into IS NULL AND c.first_sale_at IS DISTINCT FROM f.occurred_at""";
    // A new sale can only make a first purchase earlier.
    private static final String EARLIER_FIRST_PURCHASES = """
            UPDATE core.customer c SET first_sale_at = f.occurred_at, first_business_date = f.business_date,
                                       first_store_id = f.store_id
            FROM (SELECT DISTINCT ON (customer_id) customer_id, occurred_at, business_date, store_id FROM core.sale
                  WHERE id = ANY (?) AND status = 'completed' AND customer_id IS NOT NULL
                  ORDER BY customer_id, occurred_at, id) f
            WHERE c.id = f.customer_id AND c.merged_into IS NULL
              AND (c.first_sale_at IS NULL OR f.occurred_at < c.first_sale_at)""";
    // A product's first unit cost also costs the sales made before it was known.
    private static final String BACKFILL_COSTS = """
            WITH costed AS (
                UPDATE core.sale_line x SET unit_cost = p.unit_cost FROM core.product p
                WHERE p.id = x.product_id AND x.product_id = ANY (?) AND x.unit_cost IS NULL AND p.unit_cost IS NOT NULL
                RETURNING x.sale_id, x.product_id, round(x.qty * x.unit_cost, 2) AS cogs),
            by_product AS (
                INSERT INTO core.daily_product_sales AS d (store_id, business_date, product_id, cogs)
                SELECT s.store_id, s.business_date, c.product_id, sum(c.cogs)
                FROM costed c JOIN core.sale s ON s.id = c.sale_id WHERE s.status = 'completed'
                GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                ON CONFLICT (store_id, business_date, product_id) DO UPDATE SET cogs = d.cogs + EXCLUDED.cogs)
            INSERT INTO core.daily_store_sales AS d (store_id, business_date, channel, cogs)
            SELECT s.store_id, s.business_date, s.channel, sum(c.cogs)
            FROM costed c JOIN core.sale s ON s.id = c.sale_id WHERE s.status = 'completed'
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT (store_id, business_date, channel) DO UPDATE SET cogs = d.cogs + EXCLUDED.cogs""";

    /**
     * Adds ({@code sign} 1) or removes ({@code sign} -1) what these sales and refunds, as stored
     * now, contribute: a sale on its own day, a refund on the day it was given. The tables are
     * written in one order (store, product, customer days), each in key order.
     */
    public void restate(Connection connection, Collection<Long> saleIds, Collection<Long> refundIds, int sign)
            throws SQLException {
        if (saleIds.isEmpty() && refundIds.isEmpty()) {
            return;
        }
        String factor = factor(sign);
        try (PreparedStatement update = connection.prepareStatement(STORE_SALES.formatted(factor))) {
            update.setArray(1, Arrays.ids(connection, saleIds));
            update.setArray(2, Arrays.ids(connection, refundIds));
            update.executeUpdate();
        }
        if (!saleIds.isEmpty()) {
            update(connection, PRODUCT_SALES.formatted(factor), saleIds);
            update(connection, CUSTOMER_SALES.formatted(factor), saleIds);
        }
    }

    /** Recounts the per-customer rollup of customers whose sales moved in a merge. */
    public void rebuildCustomers(Connection connection, Collection<Long> customerIds) throws SQLException {
        if (customerIds.isEmpty()) {
            return;
        }
        try (PreparedStatement rebuild = connection.prepareStatement(REBUILD_CUSTOMERS)) {
            rebuild.setArray(1, Arrays.ids(connection, customerIds));
            rebuild.setArray(2, Arrays.ids(connection, customerIds));
            rebuild.executeUpdate();
        }
    }

    /** Sets each customer's first completed sale (acquisition), at any store. */
    public void firstPurchases(Connection connection, Collection<Long> customerIds) throws SQLException {
        if (!customerIds.isEmpty()) {
            update(connection, FIRST_PURCHASES, customerIds);
        }
    }

    /** Moves first purchases earlier where these newly stored sales came first. */
    public void earlierFirstPurchases(Connection connection, Collection<Long> newSaleIds) throws SQLException {
        if (!newSaleIds.isEmpty()) {
            update(connection, EARLIER_FIRST_PURCHASES, newSaleIds);
        }
    }

    /** Costs past lines of products whose first unit cost just arrived. */
    public void backfillCosts(Connection connection, Collection<Long> productIds) throws SQLException {
        if (!productIds.isEmpty()) {
            update(connection, BACKFILL_COSTS, productIds);
        }
    }

    private static String factor(int sign) {
        return sign < 0 ? "-" : "";
    }

    private static void update(Connection connection, String sql, Collection<Long> ids) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setArray(1, Arrays.ids(connection, ids));
            update.executeUpdate();
        }
    }
}
