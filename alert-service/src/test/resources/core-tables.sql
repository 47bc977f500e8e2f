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
