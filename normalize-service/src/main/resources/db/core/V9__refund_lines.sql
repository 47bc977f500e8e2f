-- Products given back (issue 16 #6): a refund that itemizes its return (a Square return order's
-- return_line_items) holds one line per product, its units and its share of the refund's amount (net of
-- tax; the lines add up to the refund). The product rollup counts them on the refund's business day, as the
-- store rollup counts the refund: returned_qty and refunds, and net = lines' net − refunds, so that a
-- product's net sales follow DESIGN.md §4 as the store's do. qty stays the units sold, and COGS does not
-- move (a returned loaf is not sold again).
CREATE TABLE core.refund_line (
    refund_id  bigint         NOT NULL REFERENCES core.refund (id) ON DELETE CASCADE,
    line_no    int            NOT NULL,
    product_id bigint         NOT NULL REFERENCES core.product (id),
    qty        numeric(14, 3) NOT NULL,
    amount     numeric(14, 2) NOT NULL,
    PRIMARY KEY (refund_id, line_no)
);

ALTER TABLE core.daily_product_sales
    ADD COLUMN returned_qty numeric(14, 3) NOT NULL DEFAULT 0,
    ADD COLUMN refunds      numeric(14, 2) NOT NULL DEFAULT 0;

-- One row per line of a completed refund of a stored sale: on the day the refund was given.
CREATE VIEW core.refund_line_contribution AS
SELECT r.id AS refund_id, r.store_id, r.business_date, r.occurred_at, x.product_id, x.qty AS returned_qty,
       x.amount AS refunds, -x.amount AS net
FROM core.refund r JOIN core.refund_line x ON x.refund_id = r.id
WHERE r.status = 'completed' AND r.sale_id IS NOT NULL;

CREATE OR REPLACE FUNCTION core.restate_rollups(sale_ids bigint[], refund_ids bigint[], sign int) RETURNS void
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
    INSERT INTO core.daily_product_sales AS d (store_id, business_date, product_id, qty, gross, net, cogs, lines,
                                               returned_qty, refunds)
    SELECT store_id, business_date, product_id, sign * sum(qty), sign * sum(gross), sign * sum(net),
           sign * sum(cogs), sign * sum(lines), sign * sum(returned_qty), sign * sum(refunds)
    FROM (SELECT store_id, business_date, product_id, qty, gross, net, cogs, 1 AS lines, 0 AS returned_qty,
                 0 AS refunds
          FROM core.sale_line_contribution WHERE sale_id = ANY (sale_ids)
          UNION ALL
          SELECT store_id, business_date, product_id, 0, 0, net, 0, 0, returned_qty, refunds
          FROM core.refund_line_contribution WHERE refund_id = ANY (refund_ids)) c
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (store_id, business_date, product_id) DO UPDATE SET
        qty = d.qty + EXCLUDED.qty, gross = d.gross + EXCLUDED.gross, net = d.net + EXCLUDED.net,
        cogs = d.cogs + EXCLUDED.cogs, lines = d.lines + EXCLUDED.lines,
        returned_qty = d.returned_qty + EXCLUDED.returned_qty, refunds = d.refunds + EXCLUDED.refunds;
    IF cardinality(sale_ids) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO core.daily_customer_sales AS d (store_id, business_date, customer_id, transactions, net)
    SELECT store_id, business_date, customer_id, sign * count(*), sign * sum(net)
    FROM core.sale_customer_contribution WHERE sale_id = ANY (sale_ids)
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (store_id, business_date, customer_id) DO UPDATE SET
        transactions = d.transactions + EXCLUDED.transactions, net = d.net + EXCLUDED.net;
END
$$;

CREATE OR REPLACE FUNCTION core.rebuild_rollups(store_ids bigint[]) RETURNS void
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
    INSERT INTO core.daily_product_sales (store_id, business_date, product_id, qty, gross, net, cogs, lines,
                                          returned_qty, refunds)
    SELECT store_id, business_date, product_id, sum(qty), sum(gross), sum(net), sum(cogs), sum(lines),
           sum(returned_qty), sum(refunds)
    FROM (SELECT store_id, business_date, product_id, qty, gross, net, cogs, 1 AS lines, 0 AS returned_qty,
                 0 AS refunds
          FROM core.sale_line_contribution WHERE store_id = ANY (store_ids)
          UNION ALL
          SELECT store_id, business_date, product_id, 0, 0, net, 0, 0, returned_qty, refunds
          FROM core.refund_line_contribution WHERE store_id = ANY (store_ids)) c
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
    INSERT INTO core.daily_customer_sales (store_id, business_date, customer_id, transactions, net)
    SELECT store_id, business_date, customer_id, count(*), sum(net)
    FROM core.sale_customer_contribution WHERE store_id = ANY (store_ids)
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
    PERFORM core.set_first_purchases(array(SELECT DISTINCT customer_id FROM core.sale
                                           WHERE store_id = ANY (store_ids) AND customer_id IS NOT NULL));
END
$$;

-- Columns added at the end, as CREATE OR REPLACE VIEW allows; BI tools see what was given back per product.
CREATE OR REPLACE VIEW reporting.daily_product_sales AS
SELECT st.code AS store_code, d.business_date, p.sku, p.name AS product_name, p.category, d.qty, d.gross, d.net,
       d.cogs, d.lines, d.returned_qty, d.refunds
FROM core.daily_product_sales d JOIN core.store st ON st.id = d.store_id JOIN core.product p ON p.id = d.product_id;
