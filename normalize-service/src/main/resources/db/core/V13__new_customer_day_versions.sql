-- A version per store and business day of who was acquired there (core.customer's first purchases), beside the count
-- of V8: raised in the same transaction as whatever moves a first purchase into or out of the day, also when the
-- count stays (a merge can take one customer out of a day and bring another in). Readers that keep a day's new
-- customers in memory (api-service's cohorts) compare versions to know which days to read again. A customer row
-- changed elsewhere (a CRM update) leaves its first purchase where it was: it touches no day, as before.
ALTER TABLE core.daily_new_customers ADD COLUMN version bigint NOT NULL DEFAULT 1;

CREATE OR REPLACE FUNCTION core.count_first_purchases() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO core.daily_new_customers AS d (store_id, business_date, customers)
        SELECT first_store_id, first_business_date, count(*) FROM new_rows
        WHERE merged_into IS NULL AND first_store_id IS NOT NULL AND first_business_date IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (store_id, business_date) DO UPDATE SET customers = d.customers + EXCLUDED.customers,
                                                            version = d.version + 1;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO core.daily_new_customers AS d (store_id, business_date, customers)
        SELECT first_store_id, first_business_date, -count(*) FROM old_rows
        WHERE merged_into IS NULL AND first_store_id IS NOT NULL AND first_business_date IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (store_id, business_date) DO UPDATE SET customers = d.customers + EXCLUDED.customers,
                                                            version = d.version + 1;
    ELSE
        -- Only customers whose counted first purchase moved (or began or stopped counting) touch a day.
        INSERT INTO core.daily_new_customers AS d (store_id, business_date, customers)
        SELECT store_id, business_date, sum(delta) FROM (
            SELECT o.first_store_id AS store_id, o.first_business_date AS business_date, -1 AS delta
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.merged_into IS NULL AND o.first_store_id IS NOT NULL AND o.first_business_date IS NOT NULL
              AND (n.merged_into IS NOT NULL OR n.first_store_id IS DISTINCT FROM o.first_store_id
                   OR n.first_business_date IS DISTINCT FROM o.first_business_date)
            UNION ALL
            SELECT n.first_store_id, n.first_business_date, 1
            FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.merged_into IS NULL AND n.first_store_id IS NOT NULL AND n.first_business_date IS NOT NULL
              AND (o.merged_into IS NOT NULL OR o.first_store_id IS DISTINCT FROM n.first_store_id
                   OR o.first_business_date IS DISTINCT FROM n.first_business_date)
        ) c
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (store_id, business_date) DO UPDATE SET customers = d.customers + EXCLUDED.customers,
                                                            version = d.version + 1;
    END IF;
    RETURN NULL;
END
$$;
