-- The relational model owned by normalize-service (DESIGN.md §3).
-- Money is numeric(14,2) in the store's currency; times are timestamptz; business dates are
-- computed in the store's time zone. Every sourced row is unique on (source, source_id).
-- Sourced rows are ordered by (version, received_at): the source's version when it gives one
-- (0 otherwise), then when ingest received it; an update that is not newer changes nothing.

CREATE SEQUENCE core.raw_event_seq INCREMENT BY 50;
CREATE SEQUENCE core.store_seq INCREMENT BY 50;
CREATE SEQUENCE core.product_seq INCREMENT BY 50;
CREATE SEQUENCE core.customer_seq INCREMENT BY 50;
CREATE SEQUENCE core.sale_seq INCREMENT BY 50;
CREATE SEQUENCE core.rejected_event_seq INCREMENT BY 50;

-- Landing zone: every raw event as consumed, with its envelope and Kafka coordinates.
CREATE TABLE core.raw_event (
    id              bigint PRIMARY KEY DEFAULT nextval('core.raw_event_seq'),
    event_id        text        NOT NULL,
    source          text        NOT NULL,
    type            text        NOT NULL,
    event_time      timestamptz,
    topic           text        NOT NULL,
    kafka_partition int         NOT NULL,
    kafka_offset    bigint      NOT NULL,
    kafka_key       text,
    headers         jsonb       NOT NULL,
    payload         bytea       NOT NULL,
    received_at     timestamptz,
    consumed_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (topic, kafka_partition, kafka_offset)
);
CREATE INDEX raw_event_event_id_idx ON core.raw_event (event_id);

CREATE TABLE core.rejected_event (
    id              bigint PRIMARY KEY DEFAULT nextval('core.rejected_event_seq'),
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

CREATE TABLE core.store (
    id            bigint PRIMARY KEY DEFAULT nextval('core.store_seq'),
    code          text   NOT NULL UNIQUE,
    name          text   NOT NULL,
    timezone      text   NOT NULL,
    currency      char(3) NOT NULL,
    opening_hours jsonb,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE core.product (
    id            bigint PRIMARY KEY DEFAULT nextval('core.product_seq'),
    sku           text   NOT NULL UNIQUE,
    name          text   NOT NULL,
    category      text,
    price         numeric(14, 2),
    unit_cost     numeric(14, 2),
    reorder_point numeric(14, 3),
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE core.customer (
    id         bigint PRIMARY KEY DEFAULT nextval('core.customer_seq'),
    email      text UNIQUE,
    phone      text,
    name       text,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Which source record is which customer: (source, source id) -> customer.
CREATE TABLE core.customer_identity (
    source      text   NOT NULL,
    source_id   text   NOT NULL,
    customer_id bigint NOT NULL REFERENCES core.customer (id),
    PRIMARY KEY (source, source_id)
);

CREATE TABLE core.sale (
    id            bigint PRIMARY KEY DEFAULT nextval('core.sale_seq'),
    source        text          NOT NULL,
    source_id     text          NOT NULL,
    store_id      bigint        NOT NULL REFERENCES core.store (id),
    customer_id   bigint        REFERENCES core.customer (id),
    occurred_at   timestamptz   NOT NULL,
    business_date date          NOT NULL,
    status        text          NOT NULL CHECK (status IN ('completed', 'voided')),
    currency      char(3)       NOT NULL,
    gross         numeric(14, 2) NOT NULL,
    discount      numeric(14, 2) NOT NULL,
    tax           numeric(14, 2) NOT NULL DEFAULT 0,
    net           numeric(14, 2) NOT NULL,
    version       bigint        NOT NULL,
    received_at   timestamptz   NOT NULL,
    raw_event_id  bigint        NOT NULL REFERENCES core.raw_event (id),
    updated_at    timestamptz   NOT NULL DEFAULT now(),
    UNIQUE (source, source_id)
);
CREATE INDEX sale_store_day_idx ON core.sale (store_id, business_date) INCLUDE (status, net);

-- Sale x product, the many-to-many with quantities and prices.
CREATE TABLE core.sale_line (
    sale_id    bigint         NOT NULL REFERENCES core.sale (id) ON DELETE CASCADE,
    line_no    int            NOT NULL,
    product_id bigint         NOT NULL REFERENCES core.product (id),
    qty        numeric(14, 3) NOT NULL,
    unit_price numeric(14, 2) NOT NULL,
    discount   numeric(14, 2) NOT NULL,
    net        numeric(14, 2) NOT NULL,
    PRIMARY KEY (sale_id, line_no)
);
CREATE INDEX sale_line_product_idx ON core.sale_line (product_id);
