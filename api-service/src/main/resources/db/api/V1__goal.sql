-- Business goals (OKRs) of DESIGN.md §4, owned by api-service: "monthly revenue +15% by end of next quarter".
CREATE SEQUENCE api.goal_seq;

CREATE TABLE api.goal (
    id                    bigint PRIMARY KEY DEFAULT nextval('api.goal_seq'),
    name                  text          NOT NULL CHECK (name <> ''),
    -- net_sales, average_ticket, transactions, new_customers, retention_rate, inventory_value
    metric                text          NOT NULL,
    -- Store codes; empty = every store.
    stores                text[]        NOT NULL DEFAULT '{}',
    baseline_from         date          NOT NULL,
    baseline_to           date          NOT NULL,
    -- The change aimed at, in percent of the baseline value: 15 = +15%, -10 = −10%.
    target_change_percent numeric(9, 2) NOT NULL,
    deadline              date          NOT NULL,
    created_at            timestamptz   NOT NULL DEFAULT now(),
    updated_at            timestamptz   NOT NULL DEFAULT now(),
    created_by            text,
    CHECK (baseline_from <= baseline_to)
);

-- The API's own role writes its schema; migrations run as the owner (DESIGN.md §3). Where the role is
-- not declared (a local run as a superuser), there is nothing to grant.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'levain_api_writer') THEN
        GRANT USAGE ON SCHEMA api TO levain_api_writer;
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA api TO levain_api_writer;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA api TO levain_api_writer;
        ALTER DEFAULT PRIVILEGES IN SCHEMA api GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO levain_api_writer;
        ALTER DEFAULT PRIVILEGES IN SCHEMA api GRANT USAGE, SELECT ON SEQUENCES TO levain_api_writer;
    END IF;
END
$$;
