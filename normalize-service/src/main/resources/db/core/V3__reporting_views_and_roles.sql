-- Read-only views for BI tools (Metabase, Grafana, Superset) pointed straight at the database with
-- the levain_reporting role, and the database roles of DESIGN.md §3.

CREATE SCHEMA IF NOT EXISTS reporting;

CREATE VIEW reporting.store AS
SELECT code AS store_code, name, timezone, currency, opening_hours FROM core.store;

CREATE VIEW reporting.daily_store_sales AS
SELECT st.code AS store_code, d.business_date, d.channel, d.gross, d.discount, d.refunds, d.net, d.tax,
       d.transactions, d.anonymous_transactions, d.lines,
       CASE WHEN d.transactions > 0 THEN round(d.net / d.transactions, 2) END AS average_ticket
FROM core.daily_store_sales d JOIN core.store st ON st.id = d.store_id;

CREATE VIEW reporting.daily_store_customers AS
SELECT st.code AS store_code, c.business_date, count(*) AS customers, sum(c.transactions) AS transactions
FROM core.daily_customer_sales c JOIN core.store st ON st.id = c.store_id
WHERE c.transactions > 0
GROUP BY st.code, c.business_date;

CREATE VIEW reporting.daily_product_sales AS
SELECT st.code AS store_code, d.business_date, p.sku, p.name AS product_name, p.category, d.qty, d.gross, d.net,
       d.cogs, d.lines
FROM core.daily_product_sales d JOIN core.store st ON st.id = d.store_id JOIN core.product p ON p.id = d.product_id;

CREATE VIEW reporting.customer_acquisition AS
SELECT c.id AS customer_id, c.first_sale_at, c.first_business_date, st.code AS first_store_code
FROM core.customer c LEFT JOIN core.store st ON st.id = c.first_store_id
WHERE c.merged_into IS NULL AND c.first_sale_at IS NOT NULL;

CREATE VIEW reporting.inventory_level AS
SELECT st.code AS store_code, p.sku, p.name AS product_name, p.category, l.on_hand, p.reorder_point,
       CASE WHEN l.on_hand <= 0 THEN 'out' WHEN l.on_hand <= p.reorder_point THEN 'low' ELSE 'ok' END AS status,
       l.as_of
FROM core.inventory_level l JOIN core.store st ON st.id = l.store_id JOIN core.product p ON p.id = l.product_id;

CREATE VIEW reporting.daily_inventory_value AS
SELECT st.code AS store_code, d.business_date, p.sku, d.closing_on_hand, p.unit_cost,
       round(d.closing_on_hand * p.unit_cost, 2) AS closing_value
FROM core.daily_inventory d JOIN core.store st ON st.id = d.store_id JOIN core.product p ON p.id = d.product_id;

CREATE VIEW reporting.sale AS
SELECT s.id AS sale_id, s.source, s.source_id, st.code AS store_code, s.customer_id, s.occurred_at, s.business_date,
       s.status, s.channel, s.currency, s.gross, s.discount, s.tax, s.net, s.refunded
FROM core.sale s JOIN core.store st ON st.id = s.store_id;

-- Roles: created where the migrating user may create roles (a local devstack superuser); on a
-- managed cluster they are declared by the operator (deploy/) and only granted here.
DO $$
DECLARE
    role_name text;
BEGIN
    IF (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        FOREACH role_name IN ARRAY ARRAY['levain_owner', 'levain_ingest_writer', 'levain_normalize_writer',
                                         'levain_alert_writer', 'levain_api_writer', 'levain_reporting'] LOOP
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
                EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
            END IF;
        END LOOP;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'levain_normalize_writer') THEN
        GRANT USAGE ON SCHEMA core TO levain_normalize_writer;
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA core TO levain_normalize_writer;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA core TO levain_normalize_writer;
        ALTER DEFAULT PRIVILEGES IN SCHEMA core GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO levain_normalize_writer;
        ALTER DEFAULT PRIVILEGES IN SCHEMA core GRANT USAGE, SELECT ON SEQUENCES TO levain_normalize_writer;
    END IF;
    -- The API and the alert rules read the model; they never write it.
    FOREACH role_name IN ARRAY ARRAY['levain_api_writer', 'levain_alert_writer'] LOOP
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
            EXECUTE format('GRANT USAGE ON SCHEMA core, reporting TO %I', role_name);
            EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA core, reporting TO %I', role_name);
            EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA core GRANT SELECT ON TABLES TO %I', role_name);
        END IF;
    END LOOP;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'levain_reporting') THEN
        GRANT USAGE ON SCHEMA reporting TO levain_reporting;
        GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO levain_reporting;
        ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT ON TABLES TO levain_reporting;
    END IF;
END
$$;
