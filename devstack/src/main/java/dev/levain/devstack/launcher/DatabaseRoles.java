package dev.levain.devstack.launcher;

import dev.levain.devstack.postgres.PostgresServer;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The database roles of DESIGN.md §3 on the local server, set up as CloudNativePG and the operator set them up in
 * production: database {@value PostgresServer#DATABASE} owned by {@value #OWNER}, which runs every migration, and
 * one login role per service writer, which is all a running service connects as. Passwords are new at every start
 * (nothing keeps them); the superuser stays the local operator's login.
 *
 * <p>A data folder from before the roles (its schemas made by the superuser) is handed to the owner first:
 * schemas, tables, views, sequences and functions, with the default privileges its migrations set for the
 * writers. The grants the writers already have stay as they are.
 */
final class DatabaseRoles {

    static final String OWNER = "levain_owner";
    /** Granted by the core migrations where it exists; the reporting logins of docs/reporting.md join it. */
    private static final String REPORTING = "levain_reporting";
    private static final String SCHEMAS = "ARRAY['core', 'reporting', 'ingest', 'alerts', 'api']";
    // Everything in Levain's schemas the superuser still owns, given to the owner. A sequence that belongs to a
    // column follows its table; the default privileges the superuser's migrations set are set again for the owner.
    private static final String HAND_OVER = """
            DO $$
            DECLARE
                item record;
            BEGIN
                FOR item IN SELECT nspname FROM pg_namespace WHERE nspname = ANY (%1$s)
                                                              AND nspowner <> '%2$s'::regrole LOOP
                    EXECUTE format('ALTER SCHEMA %%I OWNER TO %2$s', item.nspname);
                END LOOP;
                FOR item IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                            WHERE n.nspname = ANY (%1$s) AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                              AND c.relowner <> '%2$s'::regrole
                              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                              AND d.objid = c.oid AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')) LOOP
                    EXECUTE format('ALTER TABLE %%s OWNER TO %2$s', item.name);
                END LOOP;
                FOR item IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                            WHERE n.nspname = ANY (%1$s) AND p.proowner <> '%2$s'::regrole LOOP
                    EXECUTE format('ALTER ROUTINE %%s OWNER TO %2$s', item.name);
                END LOOP;
                FOR item IN SELECT d.defaclnamespace::regnamespace AS schema, a.privilege_type,
                                   CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES'
                                                        WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' END AS kind,
                                   a.grantee::regrole AS grantee
                            FROM pg_default_acl d CROSS JOIN LATERAL aclexplode(d.defaclacl) a
                            WHERE d.defaclrole = current_user::regrole AND d.defaclnamespace <> 0
                              AND a.grantee <> 0 AND a.grantee <> d.defaclrole LOOP
                    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %2$s IN SCHEMA %%s GRANT %%s ON %%s TO %%s',
                                   item.schema, item.privilege_type, item.kind, item.grantee);
                END LOOP;
            END $$""";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String jdbcUrl;
    private final String ownerPassword = password();
    private final Map<Service, String> writerPasswords = new EnumMap<>(Service.class);

    private DatabaseRoles(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
        for (Service service : Service.values()) {
            writerPasswords.put(service, password());
        }
    }

    /** Creates the roles (or gives them this run's passwords) and hands the database to the owner. */
    static DatabaseRoles prepare(String jdbcUrl) {
        DatabaseRoles roles = new DatabaseRoles(jdbcUrl);
        try (Connection admin = DriverManager.getConnection(jdbcUrl, PostgresServer.SUPERUSER, PostgresServer.PASSWORD);
             Statement sql = admin.createStatement()) {
            roles.login(sql, OWNER, roles.ownerPassword);
            for (Service service : Service.values()) {
                roles.login(sql, writer(service), roles.writerPasswords.get(service));
            }
            sql.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + REPORTING + "') THEN "
                    + "CREATE ROLE " + REPORTING + " NOLOGIN; END IF; END $$");
            sql.execute("ALTER DATABASE " + PostgresServer.DATABASE + " OWNER TO " + OWNER);
            sql.execute(HAND_OVER.formatted(SCHEMAS, OWNER));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot set up the database roles: " + e.getMessage(), e);
        }
        return roles;
    }

    /** The login role a service connects as (DESIGN.md §3). */
    static String writer(Service service) {
        return "levain_" + service.module().replace("-service", "") + "_writer";
    }

    /** What a service's migration run gets: the owner's login, migrations at start, then exit. */
    Map<String, String> migrationEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        environment.put("QUARKUS_DATASOURCE_USERNAME", OWNER);
        environment.put("QUARKUS_DATASOURCE_PASSWORD", ownerPassword);
        environment.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "true");
        environment.put("QUARKUS_INIT_AND_EXIT", "true");
        return environment;
    }

    /** What a running service gets: its writer's login, and no migration. */
    Map<String, String> serviceEnvironment(Service service) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        environment.put("QUARKUS_DATASOURCE_USERNAME", writer(service));
        environment.put("QUARKUS_DATASOURCE_PASSWORD", writerPasswords.get(service));
        environment.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "false");
        return environment;
    }

    private void login(Statement sql, String role, String password) throws SQLException {
        sql.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + role + "') THEN "
                + "CREATE ROLE " + role + " NOLOGIN; END IF; END $$");
        sql.execute("ALTER ROLE " + role + " LOGIN PASSWORD '" + password + "'");
    }

    private static String password() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
