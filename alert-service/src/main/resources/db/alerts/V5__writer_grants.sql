-- alert-service connects as levain_alert_writer, which reads and writes the rows of schema alerts and never changes its
-- tables; migrations run as levain_owner (DESIGN.md §3), so the tables are the owner's. The role is declared by the
-- operator in deploy/ (and created by normalize-service's V3 where the migrating user may create roles); without
-- it (a test database) there is nothing to grant.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'levain_alert_writer') THEN
        GRANT USAGE ON SCHEMA alerts TO levain_alert_writer;
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA alerts TO levain_alert_writer;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA alerts TO levain_alert_writer;
        ALTER DEFAULT PRIVILEGES IN SCHEMA alerts GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO levain_alert_writer;
        ALTER DEFAULT PRIVILEGES IN SCHEMA alerts GRANT USAGE, SELECT ON SEQUENCES TO levain_alert_writer;
        -- Flyway's history is the owner's record of what ran.
        REVOKE INSERT, UPDATE, DELETE ON alerts.flyway_schema_history FROM levain_alert_writer;
    END IF;
END $$;
