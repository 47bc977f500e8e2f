-- Indexes for the KPI API's reads (api-service), checked with EXPLAIN (ANALYZE, BUFFERS) over the 10-million-line
-- data set of ./levain bench-api. Both tables are written once per row and day or per customer's first sale, not
-- per sale line, so the normalizer's write cost stays small; the hot rollups (daily_store_sales,
-- daily_product_sales, daily_customer_sales) get none.

-- Closing counts of some stores over a period (inventory value, turnover): an index-only range scan instead of a
-- scan of the whole history (the primary key leads with product_id after store_id).
CREATE INDEX daily_inventory_store_day_idx ON core.daily_inventory (store_id, business_date)
    INCLUDE (product_id, closing_on_hand);

-- New customers and acquisition cohorts of a period: customers whose first completed sale falls in it, read
-- index-only (merged customers left out, as the API counts them).
CREATE INDEX customer_first_day_idx ON core.customer (first_business_date) INCLUDE (first_store_id, id)
    WHERE merged_into IS NULL;
