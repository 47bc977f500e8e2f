-- Acquisition per store and business day: how many customers made their first completed purchase there that day
-- (core.customer's first_store_id and first_business_date; merged customers are nobody). Each customer counts on
-- one day at one store, so sums over days and stores are exact. Kept by triggers in the same transaction as
-- whatever moves a first purchase (a sale, a void, a correction, a merge, a rebuild): a row changed elsewhere
-- (a CRM update) adds and takes away the same day, which changes nothing and locks nothing.
CREATE TABLE core.daily_new_customers (
    store_id      bigint NOT NULL,
    business_date date   NOT NULL,
    customers     bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (store_id, business_date)
);

CREATE FUNCTION core.count_first_purchases() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO core.daily_new_customers AS d (store_id, business_date, customers)
        SELECT first_store_id, first_business_date, count(*) FROM new_rows
        WHERE merged_into IS NULL AND first_store_id IS NOT NULL AND first_business_date IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (store_id, business_date) DO UPDATE SET customers = d.customers + EXCLUDED.customers;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO core.daily_new_customers AS d (store_id, business_date, customers)
        SELECT first_store_id, first_business_date, -count(*) FROM old_rows
        WHERE merged_into IS NULL AND first_store_id IS NOT NULL AND first_business_date IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (store_id, business_date) DO UPDATE SET customers = d.customers + EXCLUDED.customers;
    ELSE
        INSERT INTO core.daily_new_customers AS d (store_id, business_date, customers)
        SELECT store_id, business_date, sum(delta) FROM (
            SELECT first_store_id AS store_id, first_business_date AS business_date, -1 AS delta FROM old_rows
            WHERE merged_into IS NULL AND first_store_id IS NOT NULL AND first_business_date IS NOT NULL
            UNION ALL
            SELECT first_store_id, first_business_date, 1 FROM new_rows
            WHERE merged_into IS NULL AND first_store_id IS NOT NULL AND first_business_date IS NOT NULL
        ) c
        GROUP BY 1, 2 HAVING sum(delta) <> 0 ORDER BY 1, 2
        ON CONFLICT (store_id, business_date) DO UPDATE SET customers = d.customers + EXCLUDED.customers;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER first_purchase_inserted AFTER INSERT ON core.customer
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION core.count_first_purchases();
CREATE TRIGGER first_purchase_updated AFTER UPDATE ON core.customer
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION core.count_first_purchases();
CREATE TRIGGER first_purchase_deleted AFTER DELETE ON core.customer
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION core.count_first_purchases();
-- Also when a bulk load runs as a replica (session_replication_role = replica skips ordinary triggers).
ALTER TABLE core.customer ENABLE ALWAYS TRIGGER first_purchase_inserted;
ALTER TABLE core.customer ENABLE ALWAYS TRIGGER first_purchase_updated;
ALTER TABLE core.customer ENABLE ALWAYS TRIGGER first_purchase_deleted;

INSERT INTO core.daily_new_customers (store_id, business_date, customers)
SELECT first_store_id, first_business_date, count(*) FROM core.customer
WHERE merged_into IS NULL AND first_store_id IS NOT NULL AND first_business_date IS NOT NULL
GROUP BY 1, 2 ORDER BY 1, 2;
-- Grants: V3's default privileges (the migrating role's tables in core: writes for the normalizer, reads for
-- api-service and alert-service).
