-- Several replicas (issue 15, findings 9 and 10): each scheduled job runs once cluster-wide, and every
-- replica keeps one pace per Slack webhook.

-- One run of a job per period (the digest: its day in levain.alert.digest-zone). The replica whose
-- insert lands runs it; the others find the row and do nothing. Claimed in the run's transaction, so
-- a run that fails releases its period.
CREATE TABLE alerts.job_run (
    job        text        NOT NULL,
    period     text        NOT NULL,
    claimed_by text        NOT NULL,
    claimed_at timestamptz NOT NULL,
    PRIMARY KEY (job, period)
);

-- Recurring jobs (time-driven evaluation): one holder, renewing its lease each run; another replica
-- takes over once the lease has run out (database time, whatever the replicas' clocks say).
CREATE TABLE alerts.job_lease (
    job        text PRIMARY KEY,
    held_by    text        NOT NULL,
    held_until timestamptz NOT NULL
);

-- When a Slack webhook may be posted to next, for every replica: min-interval after the last post ended,
-- later after a 429's Retry-After. A replica taking its turn holds the webhook (turn_holder) until its
-- post is over, at most the turn's lease. Keyed by the SHA-256 of the webhook URL (the URL is a secret).
CREATE TABLE alerts.slack_pace (
    webhook         text PRIMARY KEY,
    next_allowed_at timestamptz NOT NULL,
    turn_holder     text
);
