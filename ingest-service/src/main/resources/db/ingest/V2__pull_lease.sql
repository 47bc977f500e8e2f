-- Which replica runs each scheduled pull: one row per job, taken with a conditional UPDATE when free
-- (holder NULL) or expired (its holder stopped renewing: crashed or cut off), renewed while the pull runs
-- and released after it. next_run_at makes the interval and the backoff cluster-wide: a scheduled run
-- takes the lease only once the job is due, whichever replica ran it last.
CREATE TABLE pull_lease (
    job         text        PRIMARY KEY,
    holder      text,
    expires_at  timestamptz NOT NULL DEFAULT '-infinity',
    next_run_at timestamptz NOT NULL DEFAULT '-infinity'
);
