-- The normalizer's tables that alert-service reads, as normalize-service defines them, for tests
-- of a module that does not run the normalizer's migrations. IF NOT EXISTS: real ones win.
CREATE SCHEMA IF NOT EXISTS core;
CREATE TABLE IF NOT EXISTS core.store (
    id            bigint PRIMARY KEY,
    code          text   NOT NULL UNIQUE,
    name          text   NOT NULL,
    timezone      text   NOT NULL,
    currency      char(3) NOT NULL,
    opening_hours jsonb
);
CREATE TABLE IF NOT EXISTS core.product (
    id            bigint PRIMARY KEY,
    sku           text   NOT NULL UNIQUE,
    name          text   NOT NULL,
    category      text,
    price         numeric(14, 2),
    unit_cost     numeric(14, 2),
    reorder_point numeric(14, 3)
);
CREATE TABLE IF NOT EXISTS core.daily_product_sales (
    store_id      bigint         NOT NULL,
    business_date date           NOT NULL,
    product_id    bigint         NOT NULL,
    qty           numeric(14, 3) NOT NULL,
    gross         numeric(14, 2),
    net           numeric(14, 2),
    cogs          numeric(14, 2),
    PRIMARY KEY (store_id, business_date, product_id)
);
CREATE TABLE IF NOT EXISTS core.rejected_event (
    id              bigserial PRIMARY KEY,
    topic           text        NOT NULL,
    kafka_partition int         NOT NULL,
    kafka_offset    bigint      NOT NULL,
    event_id        text,
    reason          text        NOT NULL,
    payload         bytea       NOT NULL,
    headers         jsonb       NOT NULL,
    rejected_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (topic, kafka_partition, kafka_offset)
);
CREATE TABLE IF NOT EXISTS core.sale (
    id            bigint PRIMARY KEY,
    store_id      bigint         NOT NULL,
    customer_id   bigint,
    occurred_at   timestamptz    NOT NULL,
    business_date date           NOT NULL,
    status        text           NOT NULL,
    channel       text           NOT NULL DEFAULT 'in_store',
    gross         numeric(14, 2) NOT NULL,
    discount      numeric(14, 2) NOT NULL DEFAULT 0,
    tax           numeric(14, 2) NOT NULL DEFAULT 0,
    net           numeric(14, 2) NOT NULL
);
CREATE TABLE IF NOT EXISTS core.sale_line (
    sale_id    bigint         NOT NULL,
    line_no    int            NOT NULL,
    product_id bigint         NOT NULL,
    qty        numeric(14, 3) NOT NULL,
    unit_price numeric(14, 2) NOT NULL,
    unit_cost  numeric(14, 2),
    net        numeric(14, 2) NOT NULL,
    PRIMARY KEY (sale_id, line_no)
);
CREATE TABLE IF NOT EXISTS core.refund (
    id            bigint PRIMARY KEY,
    sale_id       bigint,
    store_id      bigint,
    occurred_at   timestamptz    NOT NULL,
    business_date date,
    status        text           NOT NULL,
    amount        numeric(14, 2) NOT NULL
);
CREATE TABLE IF NOT EXISTS core.daily_store_sales (
    store_id               bigint         NOT NULL,
    business_date          date           NOT NULL,
    channel                text           NOT NULL,
    gross                  numeric(14, 2) NOT NULL DEFAULT 0,
    discount               numeric(14, 2) NOT NULL DEFAULT 0,
    refunds                numeric(14, 2) NOT NULL DEFAULT 0,
    net                    numeric(14, 2) NOT NULL DEFAULT 0,
    tax                    numeric(14, 2) NOT NULL DEFAULT 0,
    cogs                   numeric(14, 2) NOT NULL DEFAULT 0,
    transactions           bigint         NOT NULL DEFAULT 0,
    anonymous_transactions bigint         NOT NULL DEFAULT 0,
    lines                  bigint         NOT NULL DEFAULT 0,
    PRIMARY KEY (store_id, business_date, channel)
);
CREATE TABLE IF NOT EXISTS core.daily_customer_sales (
    store_id      bigint         NOT NULL,
    business_date date           NOT NULL,
    customer_id   bigint         NOT NULL,
    transactions  bigint         NOT NULL DEFAULT 0,
    net           numeric(14, 2) NOT NULL DEFAULT 0,
    PRIMARY KEY (store_id, business_date, customer_id)
);
CREATE TABLE IF NOT EXISTS core.daily_new_customers (
    store_id      bigint NOT NULL,
    business_date date   NOT NULL,
    customers     bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (store_id, business_date)
);
-- The rollup's views (normalize-service V6), word for word.
CREATE OR REPLACE VIEW core.sale_contribution AS
SELECT s.id AS sale_id, s.store_id, s.business_date, s.occurred_at, s.channel, s.customer_id,
       s.gross, s.discount, 0::numeric(14, 2) AS refunds, s.net, s.tax, l.cogs, 1 AS transactions,
       (s.customer_id IS NULL)::int AS anonymous_transactions, l.lines
FROM core.sale s
CROSS JOIN LATERAL (SELECT count(*)::int AS lines, coalesce(sum(round(x.qty * x.unit_cost, 2)), 0) AS cogs
                    FROM core.sale_line x WHERE x.sale_id = s.id) l
WHERE s.status = 'completed';
CREATE OR REPLACE VIEW core.refund_contribution AS
SELECT r.id AS refund_id, r.store_id, r.business_date, r.occurred_at, s.channel, r.amount AS refunds, -r.amount AS net
FROM core.refund r JOIN core.sale s ON s.id = r.sale_id
WHERE r.status = 'completed';
