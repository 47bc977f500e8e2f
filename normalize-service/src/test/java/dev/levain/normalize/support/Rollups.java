package dev.levain.normalize.support;

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

    private Rollups() {
    }
}
