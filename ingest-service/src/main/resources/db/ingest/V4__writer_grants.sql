-- ingest-service connects as levain_ingest_writer, which reads and writes the rows of schema ingest and never changes its
-- tables; migrations run as levain_owner (DESIGN.md §3), so the tables are the owner's. The role is declared by the
-- operator in deploy/ (and created by normalize-service's V3 where the migrating user may create roles); without
-- it (a test database) there is nothing to grant.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'levain_ingest_writer') THEN
        GRANT USAGE ON SCHEMA ingest TO levain_ingest_writer;
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ingest TO levain_ingest_writer;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ingest TO levain_ingest_writer;
        ALTER DEFAULT PRIVILEGES IN SCHEMA ingest GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO levain_ingest_writer;
        ALTER DEFAULT PRIVILEGES IN SCHEMA ingest GRANT USAGE, SELECT ON SEQUENCES TO levain_ingest_writer;
        -- Flyway's history is the owner's record of what ran.
        REVOKE INSERT, UPDATE, DELETE ON ingest.flyway_schema_history FROM levain_ingest_writer;
    END IF;
END $$;
