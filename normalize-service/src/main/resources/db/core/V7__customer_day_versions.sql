-- Per store and business day, a version of its customers (core.daily_customer_sales): raised in the same
-- transaction as whatever changes them (a sale, a void, a correction, a merge, a rebuild), by triggers, so no
-- writer can forget it. Readers that keep a day's customers in memory (api-service's exact distinct counts)
-- compare versions to know which days to read again. A day without a row has never had a customer.
CREATE TABLE core.customer_day_version (
    store_id      bigint NOT NULL,
    business_date date   NOT NULL,
    version       bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (store_id, business_date)
);

-- Rows are taken in key order, after the rollup rows of the same statement: two transactions raising the same
-- days wait for each other in one order.
CREATE FUNCTION core.raise_customer_day_versions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO core.customer_day_version AS v (store_id, business_date)
        SELECT DISTINCT store_id, business_date FROM old_rows ORDER BY 1, 2
        ON CONFLICT (store_id, business_date) DO UPDATE SET version = v.version + 1;
    ELSE
        INSERT INTO core.customer_day_version AS v (store_id, business_date)
        SELECT DISTINCT store_id, business_date FROM new_rows ORDER BY 1, 2
        ON CONFLICT (store_id, business_date) DO UPDATE SET version = v.version + 1;
    END IF;
    RETURN NULL;
END
$$;

-- An update never moves a row to another day (store and date are its key), so its new rows name every day.
CREATE TRIGGER customer_day_inserted AFTER INSERT ON core.daily_customer_sales
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION core.raise_customer_day_versions();
CREATE TRIGGER customer_day_updated AFTER UPDATE ON core.daily_customer_sales
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION core.raise_customer_day_versions();
CREATE TRIGGER customer_day_deleted AFTER DELETE ON core.daily_customer_sales
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION core.raise_customer_day_versions();
-- Also when a bulk load runs as a replica (session_replication_role = replica skips ordinary triggers).
ALTER TABLE core.daily_customer_sales ENABLE ALWAYS TRIGGER customer_day_inserted;
ALTER TABLE core.daily_customer_sales ENABLE ALWAYS TRIGGER customer_day_updated;
ALTER TABLE core.daily_customer_sales ENABLE ALWAYS TRIGGER customer_day_deleted;

INSERT INTO core.customer_day_version (store_id, business_date)
SELECT DISTINCT store_id, business_date FROM core.daily_customer_sales ORDER BY 1, 2;

-- Written with the rollups by the normalizer, read by api-service (the grants of V3 cover tables created
-- by the same role; these are explicit for a database migrated by another one).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'levain_normalize_writer') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON core.customer_day_version TO levain_normalize_writer;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'levain_api_writer') THEN
        GRANT SELECT ON core.customer_day_version TO levain_api_writer;
    END IF;
END $$;
