-- The full core model (DESIGN.md §3): refunds, inventory, identities by e-mail and phone,
-- lineage, KPI rollups kept in the normalizer's transactions, reporting views and roles.

CREATE SEQUENCE core.refund_seq INCREMENT BY 50;
CREATE SEQUENCE core.inventory_movement_seq INCREMENT BY 50;

-- Products first seen in a sale are created "unmapped" and enriched when the catalog arrives.
ALTER TABLE core.product
    ADD COLUMN unmapped    boolean     NOT NULL DEFAULT false,
    ADD COLUMN source      text,
    ADD COLUMN version     bigint      NOT NULL DEFAULT 0,
    ADD COLUMN received_at timestamptz,
    ADD COLUMN updated_at  timestamptz NOT NULL DEFAULT now();
UPDATE core.product SET unmapped = true WHERE unit_cost IS NULL;

-- A customer is identified through core.customer_identity: (source, source id), ('email', address)
-- and ('phone', E.164). Two identities found on two customers merge them: the newer points to the
-- older through merged_into and keeps no identities or sales, so history stays explainable.
ALTER TABLE core.customer DROP CONSTRAINT customer_email_key;
ALTER TABLE core.customer
    ADD COLUMN marketing_opt_in    boolean,
    ADD COLUMN version             bigint NOT NULL DEFAULT 0,
    ADD COLUMN received_at         timestamptz,
    ADD COLUMN merged_into         bigint REFERENCES core.customer (id),
    ADD COLUMN first_sale_at       timestamptz,
    ADD COLUMN first_business_date date,
    ADD COLUMN first_store_id      bigint REFERENCES core.store (id),
    ADD COLUMN updated_at          timestamptz NOT NULL DEFAULT now();
INSERT INTO core.customer_identity (source, source_id, customer_id)
SELECT 'email', email, min(id) FROM core.customer WHERE email IS NOT NULL GROUP BY email
ON CONFLICT DO NOTHING;
CREATE INDEX customer_identity_customer_idx ON core.customer_identity (customer_id);

ALTER TABLE core.sale
    ADD COLUMN channel  text           NOT NULL DEFAULT 'in_store' CHECK (channel IN ('in_store', 'delivery')),
    ADD COLUMN refunded numeric(14, 2) NOT NULL DEFAULT 0;
CREATE INDEX sale_customer_idx ON core.sale (customer_id) WHERE customer_id IS NOT NULL;

-- Unit cost at the time of sale, for COGS (DESIGN.md §4); null until the catalog gives a cost.
ALTER TABLE core.sale_line ADD COLUMN unit_cost numeric(14, 2);

-- A refund may arrive before its sale: it is kept with sale_id null and linked when the sale lands.
CREATE TABLE core.refund (
    id             bigint PRIMARY KEY DEFAULT nextval('core.refund_seq'),
    source         text           NOT NULL,
    source_id      text           NOT NULL,
    sale_source    text           NOT NULL,
    sale_source_id text           NOT NULL,
    sale_id        bigint         REFERENCES core.sale (id),
    store_id       bigint         REFERENCES core.store (id),
    occurred_at    timestamptz    NOT NULL,
    business_date  date,
    status         text           NOT NULL,
    amount         numeric(14, 2) NOT NULL,
    currency       char(3)        NOT NULL,
    version        bigint         NOT NULL,
    received_at    timestamptz    NOT NULL,
    raw_event_id   bigint         NOT NULL REFERENCES core.raw_event (id),
    updated_at     timestamptz    NOT NULL DEFAULT now(),
    UNIQUE (source, source_id)
);
CREATE INDEX refund_sale_idx ON core.refund (sale_source, sale_source_id);

CREATE TABLE core.inventory_level (
    product_id       bigint         NOT NULL REFERENCES core.product (id),
    store_id         bigint         NOT NULL REFERENCES core.store (id),
    source           text           NOT NULL,
    on_hand          numeric(14, 3) NOT NULL,
    previous_on_hand numeric(14, 3),
    as_of            timestamptz    NOT NULL,
    received_at      timestamptz    NOT NULL,
    version          bigint         NOT NULL,
    raw_event_id     bigint         NOT NULL REFERENCES core.raw_event (id),
    updated_at       timestamptz    NOT NULL DEFAULT now(),
    PRIMARY KEY (product_id, store_id)
);

-- Every stored change of a level, from the raw event that made it.
CREATE TABLE core.inventory_movement (
    id               bigint PRIMARY KEY DEFAULT nextval('core.inventory_movement_seq'),
    product_id       bigint         NOT NULL REFERENCES core.product (id),
    store_id         bigint         NOT NULL REFERENCES core.store (id),
    as_of            timestamptz    NOT NULL,
    previous_on_hand numeric(14, 3),
    on_hand          numeric(14, 3) NOT NULL,
    delta            numeric(14, 3) NOT NULL,
    raw_event_id     bigint         NOT NULL REFERENCES core.raw_event (id),
    UNIQUE (product_id, store_id, raw_event_id)
);
CREATE INDEX inventory_movement_store_time_idx ON core.inventory_movement (store_id, as_of);

-- Which raw events a sourced row came from (every version that changed it).
CREATE TABLE core.lineage (
    entity       text   NOT NULL,
    entity_id    bigint NOT NULL,
    raw_event_id bigint NOT NULL REFERENCES core.raw_event (id),
    PRIMARY KEY (entity, entity_id, raw_event_id)
);

ALTER TABLE core.raw_event ADD COLUMN content_type text;
CREATE INDEX raw_event_received_idx ON core.raw_event (received_at);
CREATE INDEX raw_event_source_idx ON core.raw_event (source, received_at);

ALTER TABLE core.rejected_event
    ADD COLUMN type        text,
    ADD COLUMN source      text,
    ADD COLUMN received_at timestamptz,
    ADD COLUMN kafka_key   text,
    ADD COLUMN replayed_at timestamptz,
    ADD COLUMN replay_note text;

-- KPI rollups (DESIGN.md §4), kept current in the transaction that writes the sales.
-- net = gross - discount - refunds; refunds count on the day they were given.
CREATE TABLE core.daily_store_sales (
    store_id               bigint         NOT NULL REFERENCES core.store (id),
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

CREATE TABLE core.daily_product_sales (
    store_id      bigint         NOT NULL REFERENCES core.store (id),
    business_date date           NOT NULL,
    product_id    bigint         NOT NULL REFERENCES core.product (id),
    qty           numeric(14, 3) NOT NULL DEFAULT 0,
    gross         numeric(14, 2) NOT NULL DEFAULT 0,
    net           numeric(14, 2) NOT NULL DEFAULT 0,
    cogs          numeric(14, 2) NOT NULL DEFAULT 0,
    lines         bigint         NOT NULL DEFAULT 0,
    PRIMARY KEY (store_id, business_date, product_id)
);

-- Distinct customers per store and day (a row with transactions = 0 is no longer active).
CREATE TABLE core.daily_customer_sales (
    store_id      bigint         NOT NULL REFERENCES core.store (id),
    business_date date           NOT NULL,
    customer_id   bigint         NOT NULL REFERENCES core.customer (id),
    transactions  bigint         NOT NULL DEFAULT 0,
    net           numeric(14, 2) NOT NULL DEFAULT 0,
    PRIMARY KEY (store_id, business_date, customer_id)
);
CREATE INDEX daily_customer_sales_customer_idx ON core.daily_customer_sales (customer_id, business_date);

-- Closing stock per product, store and business day (the last level counted that day).
CREATE TABLE core.daily_inventory (
    store_id        bigint         NOT NULL REFERENCES core.store (id),
    product_id      bigint         NOT NULL REFERENCES core.product (id),
    business_date   date           NOT NULL,
    closing_on_hand numeric(14, 3) NOT NULL,
    as_of           timestamptz    NOT NULL,
    PRIMARY KEY (store_id, product_id, business_date)
);

-- Sales stored before this migration get their rollups once.
UPDATE core.sale_line l SET unit_cost = p.unit_cost FROM core.product p WHERE p.id = l.product_id;
INSERT INTO core.daily_store_sales (store_id, business_date, channel, gross, discount, net, tax, transactions,
                                    anonymous_transactions, lines, cogs)
SELECT s.store_id, s.business_date, s.channel, sum(s.gross), sum(s.discount), sum(s.net), sum(s.tax), count(*),
       count(*) FILTER (WHERE s.customer_id IS NULL),
       sum((SELECT count(*) FROM core.sale_line l WHERE l.sale_id = s.id)),
       sum((SELECT coalesce(sum(round(l.qty * l.unit_cost, 2)), 0) FROM core.sale_line l WHERE l.sale_id = s.id))
FROM core.sale s WHERE s.status = 'completed'
GROUP BY s.store_id, s.business_date, s.channel;
INSERT INTO core.daily_product_sales (store_id, business_date, product_id, qty, gross, net, cogs, lines)
SELECT s.store_id, s.business_date, l.product_id, sum(l.qty), sum(round(l.qty * l.unit_price, 2)), sum(l.net),
       coalesce(sum(round(l.qty * l.unit_cost, 2)), 0), count(*)
FROM core.sale s JOIN core.sale_line l ON l.sale_id = s.id WHERE s.status = 'completed'
GROUP BY s.store_id, s.business_date, l.product_id;
INSERT INTO core.daily_customer_sales (store_id, business_date, customer_id, transactions, net)
SELECT store_id, business_date, customer_id, count(*), sum(net) FROM core.sale
WHERE status = 'completed' AND customer_id IS NOT NULL GROUP BY store_id, business_date, customer_id;
UPDATE core.customer c SET first_sale_at = f.occurred_at, first_business_date = f.business_date, first_store_id = f.store_id
FROM (SELECT DISTINCT ON (customer_id) customer_id, occurred_at, business_date, store_id FROM core.sale
      WHERE status = 'completed' AND customer_id IS NOT NULL ORDER BY customer_id, occurred_at) f
WHERE f.customer_id = c.id;
