-- Where a store's business day of sales comes from, defined once: each sale of that day and each refund counted
-- on it, with every raw event behind it. normalize-service's lineage API and api-service's dashboard both read it.
CREATE VIEW core.daily_sales_lineage AS
SELECT st.code AS store_code, e.business_date, l.entity, l.entity_id, r.id AS raw_event_id, r.event_id, r.source,
       r.type, r.topic, r.kafka_partition, r.kafka_offset, r.received_at
FROM (SELECT 'sale'::text AS entity, s.id, s.store_id, s.business_date FROM core.sale s
      UNION ALL
      SELECT 'refund', f.id, f.store_id, f.business_date FROM core.refund f) e
JOIN core.store st ON st.id = e.store_id
JOIN core.lineage l ON l.entity = e.entity AND l.entity_id = e.id
JOIN core.raw_event r ON r.id = l.raw_event_id;
