-- The lineage of a store-day says which of its sales and refunds count: a voided sale or a refund not completed is
-- still listed (it came from raw events) but is not part of the figure. Columns are added at the end, as CREATE OR
-- REPLACE VIEW allows.
CREATE OR REPLACE VIEW core.daily_sales_lineage AS
SELECT st.code AS store_code, e.business_date, l.entity, l.entity_id, r.id AS raw_event_id, r.event_id, r.source,
       r.type, r.topic, r.kafka_partition, r.kafka_offset, r.received_at, e.status
FROM (SELECT 'sale'::text AS entity, s.id, s.store_id, s.business_date, s.status FROM core.sale s
      UNION ALL
      SELECT 'refund', f.id, f.store_id, f.business_date, f.status FROM core.refund f) e
JOIN core.store st ON st.id = e.store_id
JOIN core.lineage l ON l.entity = e.entity AND l.entity_id = e.id
JOIN core.raw_event r ON r.id = l.raw_event_id;

-- Refunds of a store's day or hour are now read (alert-service's sales rules, the lineage above): without this index
-- each read scanned every refund.
CREATE INDEX refund_store_day_idx ON core.refund (store_id, business_date);
