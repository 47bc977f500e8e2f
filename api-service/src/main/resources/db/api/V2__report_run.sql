-- The sales report by e-mail (issue 16 #7): one row per recipient, frequency and period, sent once
-- cluster-wide. The replica whose insert lands sends it while its transaction holds the row; the others
-- find it (or wait for it) and do nothing. A send that fails rolls the row back, and the next check retries.
CREATE TABLE api.report_run (
    recipient   text        NOT NULL,
    frequency   text        NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly')),
    period_from date        NOT NULL,
    period_to   date        NOT NULL,
    claimed_by  text        NOT NULL,
    sent_at     timestamptz NOT NULL,
    -- What the mail said, in short: the stores' net sales and transactions, for the history.
    net_sales   numeric(14, 2),
    currency    text,
    transactions bigint,
    PRIMARY KEY (recipient, frequency, period_from)
);

CREATE INDEX report_run_sent_at ON api.report_run (sent_at DESC);

-- V1's default privileges cover this table for levain_api_writer.
