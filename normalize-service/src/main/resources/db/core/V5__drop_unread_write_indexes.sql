-- Indexes every normalized event paid for on write and nothing reads (checked against every query of
-- normalize-service, api-service, alert-service and the reporting views):
-- raw events are read by id (replay pages, the admin list), by Kafka coordinates (the unique key), by
-- source (raw_event_source_idx) and by receipt time (api-service's freshness, raw_event_received_idx);
-- never by event id.
DROP INDEX core.raw_event_event_id_idx;

-- Sale lines are read by sale (the primary key); by product only to cost the lines that had no unit cost
-- when a product's first cost arrives, which a partial index of those few lines serves.
DROP INDEX core.sale_line_product_idx;
CREATE INDEX sale_line_uncosted_idx ON core.sale_line (product_id) WHERE unit_cost IS NULL;
