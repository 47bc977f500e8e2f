-- Sales and customer rules (issue 16 #1): a sales figure above or below a limit over a trailing window, a day or
-- an hour unusual against the same weekday of the last weeks, a customer figure falling against the period before.
-- Their parameters are new columns; like the others, null where a kind does not use them.
ALTER TABLE alerts.rule
    ADD COLUMN metric         text,            -- net_sales, transactions, average_ticket | new_customers, retention, repeat_rate
    ADD COLUMN direction      text CHECK (direction IN ('above', 'below')),
    ADD COLUMN window_minutes int,             -- sales_threshold: the trailing window
    ADD COLUMN channel        text,            -- sales rules: in_store or delivery; null = every channel
    ADD COLUMN period         text CHECK (period IN ('hour', 'day', 'week', 'month')),
    ADD COLUMN tolerance_pct  numeric(8, 2),   -- sales_unusual: allowed deviation from the baseline
    ADD COLUMN baseline_weeks int,             -- sales_unusual: same weekday over this many weeks before
    ADD COLUMN drop_pct       numeric(8, 2);   -- customer_change: fall against the period before that fires

ALTER TABLE alerts.rule DROP CONSTRAINT rule_kind_check;
ALTER TABLE alerts.rule ADD CONSTRAINT rule_kind_check CHECK (kind IN ('low_stock', 'out_of_stock', 'days_of_supply',
    'store_silent', 'pipeline_health', 'sales_threshold', 'sales_unusual', 'customer_change'));
