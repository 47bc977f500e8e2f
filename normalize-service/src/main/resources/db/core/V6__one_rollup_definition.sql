-- The KPI rollups (DESIGN.md §4) defined once: what a completed sale, its lines and a completed refund
-- contribute to a store's business day, as views; how the rollup tables are kept from them, as functions.
-- The normalizer restates through core.restate_rollups in the transaction that writes the model; a full
-- recomputation (a test's seed, the benchmark's data set, the demo's history) goes through
-- core.rebuild_rollups; api-service reads the same views when a query counts days in another time zone.
-- (V2's one-off back-fill is history: applied migrations are never edited.)

-- One row per completed sale: its figures on its store's business day, and the instant it happened at.
CREATE VIEW core.sale_contribution AS
SELECT s.id AS sale_id, s.store_id, s.business_date, s.occurred_at, s.channel, s.customer_id,
       s.gross, s.discount, 0::numeric(14, 2) AS refunds, s.net, s.tax, l.cogs, 1 AS transactions,
       (s.customer_id IS NULL)::int AS anonymous_transactions, l.lines
FROM core.sale s
CROSS JOIN LATERAL (SELECT count(*)::int AS lines, coalesce(sum(round(x.qty * x.unit_cost, 2)), 0) AS cogs
                    FROM core.sale_line x WHERE x.sale_id = s.id) l
WHERE s.status = 'completed';

-- One row per line of a completed sale. A line with no unit cost yet costs 0 until its product's first cost.
CREATE VIEW core.sale_line_contribution AS
SELECT s.id AS sale_id, s.store_id, s.business_date, s.occurred_at, x.product_id, x.qty,
       round(x.qty * x.unit_price, 2) AS gross, x.net, coalesce(round(x.qty * x.unit_cost, 2), 0) AS cogs
FROM core.sale s JOIN core.sale_line x ON x.sale_id = s.id
WHERE s.status = 'completed';

-- One row per completed sale of a known customer.
CREATE VIEW core.sale_customer_contribution AS
SELECT s.id AS sale_id, s.store_id, s.business_date, s.occurred_at, s.customer_id, s.net
FROM core.sale s
WHERE s.status = 'completed' AND s.customer_id IS NOT NULL;

-- One row per completed refund: on the day it was given, in the channel of the sale it refunds.
CREATE VIEW core.refund_contribution AS
SELECT r.id AS refund_id, r.store_id, r.business_date, r.occurred_at, s.channel, r.amount AS refunds, -r.amount AS net
FROM core.refund r JOIN core.sale s ON s.id = r.sale_id
WHERE r.status = 'completed';

-- Adds (sign 1) or removes (sign -1) what these sales and refunds, as stored now, contribute. The deltas
-- commute (each statement adds to what is stored), so two transactions restating one store-day at once
-- both count; each table is written in key order, store days first, so they do not wait crosswise.
CREATE FUNCTION core.restate_rollups(sale_ids bigint[], refund_ids bigint[], sign int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(sale_ids) = 0 AND cardinality(refund_ids) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO core.daily_store_sales AS d (store_id, business_date, channel, gross, discount, refunds, net, tax,
                                             cogs, transactions, anonymous_transactions, lines)
    SELECT store_id, business_date, channel, sign * sum(gross), sign * sum(discount), sign * sum(refunds),
           sign * sum(net), sign * sum(tax), sign * sum(cogs), sign * sum(transactions),
           sign * sum(anonymous_transactions), sign * sum(lines)
    FROM (SELECT store_id, business_date, channel, gross, discount, refunds, net, tax, cogs, transactions,
                 anonymous_transactions, lines
          FROM core.sale_contribution WHERE sale_id = ANY (sale_ids)
          UNION ALL
          SELECT store_id, business_date, channel, 0, 0, refunds, net, 0, 0, 0, 0, 0
          FROM core.refund_contribution WHERE refund_id = ANY (refund_ids)) c
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (store_id, business_date, channel) DO UPDATE SET
        gross = d.gross + EXCLUDED.gross, discount = d.discount + EXCLUDED.discount,
        refunds = d.refunds + EXCLUDED.refunds, net = d.net + EXCLUDED.net, tax = d.tax + EXCLUDED.tax,
        cogs = d.cogs + EXCLUDED.cogs, transactions = d.transactions + EXCLUDED.transactions,
        anonymous_transactions = d.anonymous_transactions + EXCLUDED.anonymous_transactions,
        lines = d.lines + EXCLUDED.lines;
    IF cardinality(sale_ids) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO core.daily_product_sales AS d (store_id, business_date, product_id, qty, gross, net, cogs, lines)
    SELECT store_id, business_date, product_id, sign * sum(qty), sign * sum(gross), sign * sum(net), sign * sum(cogs),
           sign * count(*)
    FROM core.sale_line_contribution WHERE sale_id = ANY (sale_ids)
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (store_id, business_date, product_id) DO UPDATE SET
        qty = d.qty + EXCLUDED.qty, gross = d.gross + EXCLUDED.gross, net = d.net + EXCLUDED.net,
        cogs = d.cogs + EXCLUDED.cogs, lines = d.lines + EXCLUDED.lines;
    INSERT INTO core.daily_customer_sales AS d (store_id, business_date, customer_id, transactions, net)
    SELECT store_id, business_date, customer_id, sign * count(*), sign * sum(net)
    FROM core.sale_customer_contribution WHERE sale_id = ANY (sale_ids)
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (store_id, business_date, customer_id) DO UPDATE SET
        transactions = d.transactions + EXCLUDED.transactions, net = d.net + EXCLUDED.net;
END
$$;

-- Recounts the per-customer rollup of these customers from their sales (after a merge moved sales).
CREATE FUNCTION core.rebuild_customer_rollups(customer_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM core.daily_customer_sales WHERE customer_id = ANY (customer_ids);
    INSERT INTO core.daily_customer_sales (store_id, business_date, customer_id, transactions, net)
    SELECT store_id, business_date, customer_id, count(*), sum(net)
    FROM core.sale_customer_contribution WHERE customer_id = ANY (customer_ids)
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
END
$$;

-- Each customer's first completed sale at any store (acquisition); merged customers have none.
CREATE FUNCTION core.set_first_purchases(customer_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE core.customer c SET first_sale_at = f.occurred_at, first_business_date = f.business_date,
                               first_store_id = f.store_id
    FROM unnest(customer_ids) AS t(id)
    LEFT JOIN LATERAL (SELECT occurred_at, business_date, store_id FROM core.sale_customer_contribution
                       WHERE customer_id = t.id ORDER BY occurred_at, sale_id LIMIT 1) f ON true
    WHERE c.id = t.id AND c.merged_into IS NULL AND c.first_sale_at IS DISTINCT FROM f.occurred_at;
$$;

-- Every rollup of these stores recomputed from their sales and refunds: the same contributions, added up
-- at once rather than sale by sale, and the first purchases of their customers.
CREATE FUNCTION core.rebuild_rollups(store_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM core.daily_store_sales WHERE store_id = ANY (store_ids);
    DELETE FROM core.daily_product_sales WHERE store_id = ANY (store_ids);
    DELETE FROM core.daily_customer_sales WHERE store_id = ANY (store_ids);
    INSERT INTO core.daily_store_sales (store_id, business_date, channel, gross, discount, refunds, net, tax, cogs,
                                        transactions, anonymous_transactions, lines)
    SELECT store_id, business_date, channel, sum(gross), sum(discount), sum(refunds), sum(net), sum(tax), sum(cogs),
           sum(transactions), sum(anonymous_transactions), sum(lines)
    FROM (SELECT store_id, business_date, channel, gross, discount, refunds, net, tax, cogs, transactions,
                 anonymous_transactions, lines
          FROM core.sale_contribution WHERE store_id = ANY (store_ids)
          UNION ALL
          SELECT store_id, business_date, channel, 0, 0, refunds, net, 0, 0, 0, 0, 0
          FROM core.refund_contribution WHERE store_id = ANY (store_ids)) c
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
    INSERT INTO core.daily_product_sales (store_id, business_date, product_id, qty, gross, net, cogs, lines)
    SELECT store_id, business_date, product_id, sum(qty), sum(gross), sum(net), sum(cogs), count(*)
    FROM core.sale_line_contribution WHERE store_id = ANY (store_ids)
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
    INSERT INTO core.daily_customer_sales (store_id, business_date, customer_id, transactions, net)
    SELECT store_id, business_date, customer_id, count(*), sum(net)
    FROM core.sale_customer_contribution WHERE store_id = ANY (store_ids)
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
    PERFORM core.set_first_purchases(array(SELECT DISTINCT customer_id FROM core.sale
                                           WHERE store_id = ANY (store_ids) AND customer_id IS NOT NULL));
END
$$;

-- A new sale can only make a first purchase earlier.
CREATE FUNCTION core.earlier_first_purchases(sale_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE core.customer c SET first_sale_at = f.occurred_at, first_business_date = f.business_date,
                               first_store_id = f.store_id
    FROM (SELECT DISTINCT ON (customer_id) customer_id, occurred_at, business_date, store_id
          FROM core.sale_customer_contribution WHERE sale_id = ANY (sale_ids)
          ORDER BY customer_id, occurred_at, sale_id) f
    WHERE c.id = f.customer_id AND c.merged_into IS NULL
      AND (c.first_sale_at IS NULL OR f.occurred_at < c.first_sale_at);
$$;

-- A product's first unit cost also costs the sales made before it was known. One statement: the lines it
-- costs are row-locked by the update itself, so a correction of one of those sales at the same time cannot
-- slip between what is costed and what is added (the cogs of a line as core.sale_line_contribution has it).
CREATE FUNCTION core.cost_lines(product_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    WITH costed AS (
        UPDATE core.sale_line x SET unit_cost = p.unit_cost FROM core.product p
        WHERE p.id = x.product_id AND x.product_id = ANY (product_ids) AND x.unit_cost IS NULL
          AND p.unit_cost IS NOT NULL
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
    ON CONFLICT (store_id, business_date, channel) DO UPDATE SET cogs = d.cogs + EXCLUDED.cogs;
$$;
