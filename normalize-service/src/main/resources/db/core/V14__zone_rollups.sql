-- Other time zones' days (DESIGN.md §4: a sale counts on the day its instant falls on in the zone asked for) made
-- of rollups instead of the sales: every zone in use today has offsets of whole quarter hours and changes them on a
-- quarter hour, so each of its days is a run of whole quarter hours of UTC. core.quarter_hour_store_sales keeps what
-- the sales and refunds of a store's business day contribute per quarter hour (the start of the quarter hour their
-- instant falls in) and channel: the same contributions as core.daily_store_sales, cut finer, kept by the same
-- functions in the same statements' transaction (restate, rebuild, late costs). api-service adds them up per day of
-- the zone asked for.

-- Writers wait while this runs (they change what the back-fills below read), readers do not.
LOCK TABLE core.daily_store_sales IN SHARE MODE;

-- The start of the quarter hour of UTC an instant falls in.
CREATE FUNCTION core.quarter_hour(at timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT date_bin('15 minutes', at, timestamptz '2000-01-01 00:00:00+00') $$;

CREATE TABLE core.quarter_hour_store_sales (
    store_id               bigint         NOT NULL REFERENCES core.store (id),
    business_date          date           NOT NULL,
    quarter_hour           timestamptz    NOT NULL,
    channel                text           NOT NULL,
    gross                  numeric(14, 2) NOT NULL DEFAULT 0,
    discount               numeric(14, 2) NOT NULL DEFAULT 0,
    refunds                numeric(14, 2) NOT NULL DEFAULT 0,
    net                    numeric(14, 2) NOT NULL DEFAULT 0,
    tax                    numeric(14, 2) NOT NULL DEFAULT 0,
    cogs                   numeric(14, 2) NOT NULL DEFAULT 0,
    transactions           bigint         NOT NULL DEFAULT 0,
    anonymous_transactions bigint         NOT NULL DEFAULT 0,
    PRIMARY KEY (store_id, business_date, quarter_hour, channel)
);

-- Per store and business day, a version of its sales (core.daily_store_sales and its quarter hours: sales, refunds,
-- voids, corrections, late costs, rebuilds): raised in the same transaction as whatever changes them, by triggers, as
-- V7 does for the day's customers. api-service keeps other zones' days made of these quarter hours in memory and
-- compares versions to know which to make again. A correction that moves a sale within its day updates the day's
-- rows (taken off, added back), so it raises the version although the day's sums stay.
-- A day without a row has never had a sale or a refund.
-- Versions come from one sequence: a day's version never repeats, even after its row is emptied and written again.
CREATE SEQUENCE core.store_day_version_seq;
CREATE TABLE core.store_day_version (
    store_id      bigint NOT NULL,
    business_date date   NOT NULL,
    version       bigint NOT NULL DEFAULT nextval('core.store_day_version_seq'),
    PRIMARY KEY (store_id, business_date)
);

-- Whoever writes the store days raises their versions: the normalizer's functions below take the version rows first
-- (in key order, before any rollup row: every writer waits for another at the coarsest row of a day first, so they
-- never wait crosswise); these triggers raise them again at the end of a statement, and alone for other writers
-- (a rebuild, a bulk load).
CREATE FUNCTION core.raise_store_day_versions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO core.store_day_version AS v (store_id, business_date)
        SELECT DISTINCT store_id, business_date FROM old_rows ORDER BY 1, 2
        ON CONFLICT (store_id, business_date) DO UPDATE SET version = nextval('core.store_day_version_seq');
    ELSE
        INSERT INTO core.store_day_version AS v (store_id, business_date)
        SELECT DISTINCT store_id, business_date FROM new_rows ORDER BY 1, 2
        ON CONFLICT (store_id, business_date) DO UPDATE SET version = nextval('core.store_day_version_seq');
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER store_day_inserted AFTER INSERT ON core.daily_store_sales
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION core.raise_store_day_versions();
CREATE TRIGGER store_day_updated AFTER UPDATE ON core.daily_store_sales
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION core.raise_store_day_versions();
CREATE TRIGGER store_day_deleted AFTER DELETE ON core.daily_store_sales
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION core.raise_store_day_versions();
-- Also when a bulk load runs as a replica (session_replication_role = replica skips ordinary triggers).
ALTER TABLE core.daily_store_sales ENABLE ALWAYS TRIGGER store_day_inserted;
ALTER TABLE core.daily_store_sales ENABLE ALWAYS TRIGGER store_day_updated;
ALTER TABLE core.daily_store_sales ENABLE ALWAYS TRIGGER store_day_deleted;

INSERT INTO core.store_day_version (store_id, business_date)
SELECT DISTINCT store_id, business_date FROM core.daily_store_sales ORDER BY 1, 2;

-- V9's restatement, the quarter hours too: what the sales and refunds contribute is read once for the days' versions,
-- the store days and their quarter hours, taken in that order (coarse rows first; each part waits for the one before,
-- an init plan on its count), each in key order, as the late costs below take them.
CREATE OR REPLACE FUNCTION core.restate_rollups(sale_ids bigint[], refund_ids bigint[], sign int) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(sale_ids) = 0 AND cardinality(refund_ids) = 0 THEN
        RETURN;
    END IF;
    WITH c AS MATERIALIZED (
        SELECT store_id, business_date, core.quarter_hour(occurred_at) AS quarter_hour, channel, gross, discount,
               refunds, net, tax, cogs, transactions, anonymous_transactions, lines
        FROM core.sale_contribution WHERE sale_id = ANY (sale_ids)
        UNION ALL
        SELECT store_id, business_date, core.quarter_hour(occurred_at), channel, 0, 0, refunds, net, 0, 0, 0, 0, 0
        FROM core.refund_contribution WHERE refund_id = ANY (refund_ids)),
    versions AS (
        INSERT INTO core.store_day_version AS v (store_id, business_date)
        SELECT DISTINCT store_id, business_date FROM c ORDER BY 1, 2
        ON CONFLICT (store_id, business_date) DO UPDATE SET version = nextval('core.store_day_version_seq')
        RETURNING 1),
    days AS (
        INSERT INTO core.daily_store_sales AS d (store_id, business_date, channel, gross, discount, refunds, net, tax,
                                                 cogs, transactions, anonymous_transactions, lines)
        SELECT store_id, business_date, channel, sign * sum(gross), sign * sum(discount), sign * sum(refunds),
               sign * sum(net), sign * sum(tax), sign * sum(cogs), sign * sum(transactions),
               sign * sum(anonymous_transactions), sign * sum(lines)
        FROM c WHERE (SELECT count(*) FROM versions) >= 0
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (store_id, business_date, channel) DO UPDATE SET
            gross = d.gross + EXCLUDED.gross, discount = d.discount + EXCLUDED.discount,
            refunds = d.refunds + EXCLUDED.refunds, net = d.net + EXCLUDED.net, tax = d.tax + EXCLUDED.tax,
            cogs = d.cogs + EXCLUDED.cogs, transactions = d.transactions + EXCLUDED.transactions,
            anonymous_transactions = d.anonymous_transactions + EXCLUDED.anonymous_transactions,
            lines = d.lines + EXCLUDED.lines
        RETURNING 1)
    INSERT INTO core.quarter_hour_store_sales AS q (store_id, business_date, quarter_hour, channel, gross, discount,
                                                    refunds, net, tax, cogs, transactions, anonymous_transactions)
    SELECT store_id, business_date, quarter_hour, channel, sign * sum(gross), sign * sum(discount),
           sign * sum(refunds), sign * sum(net), sign * sum(tax), sign * sum(cogs), sign * sum(transactions),
           sign * sum(anonymous_transactions)
    FROM c WHERE (SELECT count(*) FROM days) >= 0
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (store_id, business_date, quarter_hour, channel) DO UPDATE SET
        gross = q.gross + EXCLUDED.gross, discount = q.discount + EXCLUDED.discount,
        refunds = q.refunds + EXCLUDED.refunds, net = q.net + EXCLUDED.net, tax = q.tax + EXCLUDED.tax,
        cogs = q.cogs + EXCLUDED.cogs, transactions = q.transactions + EXCLUDED.transactions,
        anonymous_transactions = q.anonymous_transactions + EXCLUDED.anonymous_transactions;
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

-- V9's rebuild, the quarter hours too.
CREATE OR REPLACE FUNCTION core.rebuild_rollups(store_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM core.quarter_hour_store_sales WHERE store_id = ANY (store_ids);
    DELETE FROM core.daily_store_sales WHERE store_id = ANY (store_ids);
    DELETE FROM core.daily_product_sales WHERE store_id = ANY (store_ids);
    DELETE FROM core.daily_customer_sales WHERE store_id = ANY (store_ids);
    WITH c AS MATERIALIZED (
        SELECT store_id, business_date, core.quarter_hour(occurred_at) AS quarter_hour, channel, gross, discount,
               refunds, net, tax, cogs, transactions, anonymous_transactions, lines
        FROM core.sale_contribution WHERE store_id = ANY (store_ids)
        UNION ALL
        SELECT store_id, business_date, core.quarter_hour(occurred_at), channel, 0, 0, refunds, net, 0, 0, 0, 0, 0
        FROM core.refund_contribution WHERE store_id = ANY (store_ids)),
    quarters AS (
        INSERT INTO core.quarter_hour_store_sales (store_id, business_date, quarter_hour, channel, gross, discount,
                                                   refunds, net, tax, cogs, transactions, anonymous_transactions)
        SELECT store_id, business_date, quarter_hour, channel, sum(gross), sum(discount), sum(refunds), sum(net),
               sum(tax), sum(cogs), sum(transactions), sum(anonymous_transactions)
        FROM c GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        RETURNING 1)
    INSERT INTO core.daily_store_sales (store_id, business_date, channel, gross, discount, refunds, net, tax, cogs,
                                        transactions, anonymous_transactions, lines)
    SELECT store_id, business_date, channel, sum(gross), sum(discount), sum(refunds), sum(net), sum(tax), sum(cogs),
           sum(transactions), sum(anonymous_transactions), sum(lines)
    FROM c WHERE (SELECT count(*) FROM quarters) >= 0 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
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

-- V6's late costs, the quarter hours too, in the restatement's order: the days' versions, store days, quarter hours,
-- product days.
CREATE OR REPLACE FUNCTION core.cost_lines(product_ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    WITH costed AS (
        UPDATE core.sale_line x SET unit_cost = p.unit_cost FROM core.product p
        WHERE p.id = x.product_id AND x.product_id = ANY (product_ids) AND x.unit_cost IS NULL
          AND p.unit_cost IS NOT NULL
        RETURNING x.sale_id, x.product_id, round(x.qty * x.unit_cost, 2) AS cogs),
    lines AS (
        SELECT s.store_id, s.business_date, core.quarter_hour(s.occurred_at) AS quarter_hour, s.channel, c.product_id,
               c.cogs
        FROM costed c JOIN core.sale s ON s.id = c.sale_id WHERE s.status = 'completed'),
    versions AS (
        INSERT INTO core.store_day_version AS v (store_id, business_date)
        SELECT DISTINCT store_id, business_date FROM lines ORDER BY 1, 2
        ON CONFLICT (store_id, business_date) DO UPDATE SET version = nextval('core.store_day_version_seq')
        RETURNING 1),
    days AS (
        INSERT INTO core.daily_store_sales AS d (store_id, business_date, channel, cogs)
        SELECT store_id, business_date, channel, sum(cogs) FROM lines WHERE (SELECT count(*) FROM versions) >= 0
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (store_id, business_date, channel) DO UPDATE SET cogs = d.cogs + EXCLUDED.cogs
        RETURNING 1),
    quarters AS (
        INSERT INTO core.quarter_hour_store_sales AS q (store_id, business_date, quarter_hour, channel, cogs)
        SELECT store_id, business_date, quarter_hour, channel, sum(cogs) FROM lines WHERE (SELECT count(*) FROM days) >= 0
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (store_id, business_date, quarter_hour, channel) DO UPDATE SET cogs = q.cogs + EXCLUDED.cogs
        RETURNING 1)
    INSERT INTO core.daily_product_sales AS d (store_id, business_date, product_id, cogs)
    SELECT store_id, business_date, product_id, sum(cogs) FROM lines WHERE (SELECT count(*) FROM quarters) >= 0
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (store_id, business_date, product_id) DO UPDATE SET cogs = d.cogs + EXCLUDED.cogs;
$$;

-- The quarter hours of what is there already.
INSERT INTO core.quarter_hour_store_sales (store_id, business_date, quarter_hour, channel, gross, discount, refunds,
                                           net, tax, cogs, transactions, anonymous_transactions)
SELECT store_id, business_date, quarter_hour, channel, sum(gross), sum(discount), sum(refunds), sum(net), sum(tax),
       sum(cogs), sum(transactions), sum(anonymous_transactions)
FROM (SELECT store_id, business_date, core.quarter_hour(occurred_at) AS quarter_hour, channel, gross, discount, refunds,
             net, tax, cogs, transactions, anonymous_transactions
      FROM core.sale_contribution
      UNION ALL
      SELECT store_id, business_date, core.quarter_hour(occurred_at), channel, 0, 0, refunds, net, 0, 0, 0, 0
      FROM core.refund_contribution) c
GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;

-- Written with the rollups by the normalizer, read by api-service.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'levain_normalize_writer') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON core.store_day_version, core.quarter_hour_store_sales
            TO levain_normalize_writer;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'levain_api_writer') THEN
        GRANT SELECT ON core.store_day_version, core.quarter_hour_store_sales TO levain_api_writer;
    END IF;
END $$;
