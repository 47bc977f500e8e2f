package dev.levain.devstack.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levain.devstack.bench.KpiDataSet;
import dev.levain.devstack.postgres.PostgresServer;
import dev.levain.devstack.test.ThrowAwayPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local roles of DESIGN.md §3, on a data folder from before them: schema core migrated by the superuser (as
 * {@code levain up} did until now). After {@link DatabaseRoles#prepare} the owner owns everything and runs the next
 * migration, and the normalizer's writer reads and writes rows, also of a table that migration adds, and changes
 * no table.
 */
class DatabaseRolesTest {

    private static ThrowAwayPostgres postgres;
    private static DatabaseRoles roles;

    @BeforeAll
    static void aDataFolderMigratedByTheSuperuserThenTheRoles() {
        postgres = ThrowAwayPostgres.start("levain-roles-test-");
        KpiDataSet.createSchema(postgres.jdbcUrl(), Path.of("..").toAbsolutePath().normalize());
        roles = DatabaseRoles.prepare(postgres.jdbcUrl());
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theOwnerOwnsEveryObjectOfTheSchemas() throws SQLException {
        try (Connection admin = superuser(); Statement sql = admin.createStatement()) {
            assertThat(count(sql, """
                    SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname IN ('core', 'reporting') AND c.relkind IN ('r', 'v', 'S')
                      AND c.relowner <> 'levain_owner'::regrole""")).as("relations not the owner's").isZero();
            assertThat(count(sql, """
                    SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname = 'core' AND p.proowner <> 'levain_owner'::regrole""")).as("functions").isZero();
            assertThat(count(sql, "SELECT count(*) FROM pg_namespace WHERE nspname IN ('core', 'reporting') "
                    + "AND nspowner = 'levain_owner'::regrole")).isEqualTo(2);
        }
    }

    @Test
    void theWriterWritesRowsAlsoOfATableTheNextMigrationAddsAndChangesNoTable() throws SQLException {
        Map<String, String> migration = roles.migrationEnvironment();
        try (Connection owner = login(migration); Statement sql = owner.createStatement()) {
            sql.execute("CREATE TABLE core.added_by_a_later_release (id bigserial PRIMARY KEY, note text)");
        }
        Map<String, String> normalize = roles.serviceEnvironment(Service.NORMALIZE);
        assertThat(normalize.get("QUARKUS_DATASOURCE_USERNAME")).isEqualTo("levain_normalize_writer");
        assertThat(normalize.get("QUARKUS_FLYWAY_MIGRATE_AT_START")).isEqualTo("false");
        try (Connection writer = login(normalize); Statement sql = writer.createStatement()) {
            sql.execute("INSERT INTO core.store (code, name, timezone, currency) VALUES ('ROLES-1', 'Roles', 'UTC', 'EUR')");
            sql.execute("INSERT INTO core.added_by_a_later_release (note) VALUES ('written by the writer')");
            assertThat(count(sql, "SELECT count(*) FROM core.added_by_a_later_release")).isEqualTo(1);
            assertThatThrownBy(() -> sql.execute("CREATE TABLE core.not_yours (id int)"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> sql.execute("ALTER TABLE core.sale ADD COLUMN not_yours int"))
                    .hasMessageContaining("must be owner");
        }
    }

    @Test
    void aRestartGivesNewPasswordsAndTheOldOnesNoLongerLogIn() throws SQLException {
        Map<String, String> before = roles.serviceEnvironment(Service.API);
        DatabaseRoles again = DatabaseRoles.prepare(postgres.jdbcUrl());
        roles = again;
        Map<String, String> after = again.serviceEnvironment(Service.API);
        try (Connection api = login(after); Statement sql = api.createStatement()) {
            assertThat(count(sql, "SELECT count(*) FROM core.store WHERE code = 'no such store'")).isZero();
        }
        assertThatThrownBy(() -> login(before).close()).hasMessageContaining("password authentication failed");
    }

    private static Connection login(Map<String, String> environment) throws SQLException {
        return DriverManager.getConnection(environment.get("QUARKUS_DATASOURCE_JDBC_URL"),
                environment.get("QUARKUS_DATASOURCE_USERNAME"), environment.get("QUARKUS_DATASOURCE_PASSWORD"));
    }

    private static Connection superuser() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.SUPERUSER, PostgresServer.PASSWORD);
    }

    private static long count(Statement sql, String query) throws SQLException {
        try (ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }
}
