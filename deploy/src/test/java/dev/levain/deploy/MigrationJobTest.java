package dev.levain.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levain.devstack.Classpath;
import dev.levain.devstack.DataDirs;
import dev.levain.devstack.Ports;
import dev.levain.devstack.postgres.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The release's migration Job, run for real: a PostgreSQL set up as CloudNativePG sets it up (database levain owned
 * by levain_owner, one login role per service writer), each container of the rendered Job run as its packaged
 * service with the Job's own environment, as the owner. Afterwards each service's writer role reads and writes the
 * rows it needs and can change no table (DESIGN.md §3), so the services can run without the owner's credentials.
 * Needs the services packaged first ({@code ./mvnw verify} builds them before this module).
 */
class MigrationJobTest {

    private static final String OWNER_PASSWORD = "owner-secret";
    private static final String WRITER_PASSWORD = "writer-secret";
    /** Writer role → the schema it owns the rows of, and the core tables it reads (DESIGN.md §3). */
    private static final Map<String, String> WRITERS = Map.of(
            "levain_ingest_writer", "ingest", "levain_normalize_writer", "core",
            "levain_alert_writer", "alerts", "levain_api_writer", "api");
    private static final List<String> ALERT_READS = List.of(
            "core.store", "core.product", "core.daily_product_sales", "core.rejected_event");

    private static Path data;
    private static PostgresServer postgres;

    @BeforeAll
    static void runTheMigrationJobAsTheOwner() throws Exception {
        data = DataDirs.createTemporary("levain-migrate-test-");
        postgres = PostgresServer.start(data.resolve("pg"), Ports.free(), false);
        try (Connection admin = connect(PostgresServer.SUPERUSER, PostgresServer.PASSWORD); Statement sql = admin.createStatement()) {
            sql.execute("CREATE ROLE levain_owner LOGIN PASSWORD '" + OWNER_PASSWORD + "'");
            sql.execute("ALTER DATABASE " + PostgresServer.DATABASE + " OWNER TO levain_owner");
            for (String writer : WRITERS.keySet()) {
                sql.execute("CREATE ROLE " + writer + " LOGIN PASSWORD '" + WRITER_PASSWORD + "'");
            }
            sql.execute("CREATE ROLE levain_reporting LOGIN PASSWORD '" + WRITER_PASSWORD + "'");
        }
        JsonNode job = Manifests.build("prod").named("Job", "levain-migrate");
        List<JsonNode> containers = new ArrayList<>();
        job.at("/spec/template/spec/initContainers").forEach(containers::add);
        job.at("/spec/template/spec/containers").forEach(containers::add);
        for (JsonNode container : containers) {
            runAsTheJobDoes(container);
        }
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
        DataDirs.delete(data);
    }

    @Test
    void everySchemaIsMigratedAndOwnedByTheOwner() throws SQLException {
        try (Connection owner = connect("levain_owner", OWNER_PASSWORD);
             PreparedStatement query = owner.prepareStatement(
                     "SELECT count(*), count(*) FILTER (WHERE tableowner <> 'levain_owner') FROM pg_tables WHERE schemaname = ?")) {
            for (String schema : WRITERS.values()) {
                query.setString(1, schema);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    assertThat(rows.getInt(1)).as("tables in " + schema).isGreaterThan(1);
                    assertThat(rows.getInt(2)).as("tables of " + schema + " owned by another role").isZero();
                }
            }
        }
    }

    @Test
    void eachWriterReadsAndWritesTheRowsOfItsSchema() throws SQLException {
        for (var writer : WRITERS.entrySet()) {
            try (Connection connection = connect(writer.getKey(), WRITER_PASSWORD); Statement sql = connection.createStatement()) {
                for (String table : tables(writer.getValue())) {
                    sql.executeQuery("SELECT count(*) FROM " + table).close();
                    for (String privilege : List.of("INSERT", "UPDATE", "DELETE")) {
                        try (ResultSet granted = sql.executeQuery(
                                "SELECT has_table_privilege('" + table + "', '" + privilege + "')")) {
                            granted.next();
                            assertThat(granted.getBoolean(1)).as(writer.getKey() + " may " + privilege + " " + table).isTrue();
                        }
                    }
                }
            }
        }
        try (Connection alert = connect("levain_alert_writer", WRITER_PASSWORD); Statement sql = alert.createStatement()) {
            for (String table : ALERT_READS) {
                sql.executeQuery("SELECT count(*) FROM " + table).close();
            }
        }
    }

    @Test
    void noWriterCanChangeATable() throws SQLException {
        for (var writer : WRITERS.entrySet()) {
            String schema = writer.getValue();
            String table = tables(schema).get(0);
            try (Connection connection = connect(writer.getKey(), WRITER_PASSWORD); Statement sql = connection.createStatement()) {
                for (String ddl : List.of("CREATE TABLE " + schema + ".probe (id int)", "ALTER TABLE " + table + " ADD COLUMN probe int",
                        "DROP TABLE " + table, "CREATE SCHEMA probe")) {
                    assertThatThrownBy(() -> sql.execute(ddl)).as(writer.getKey() + ": " + ddl)
                            .isInstanceOfSatisfying(SQLException.class,
                                    e -> assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("42501"));
                }
            }
        }
    }

    /** One container of the Job: its service's packaged jar with the container's environment, to completion. */
    private static void runAsTheJobDoes(JsonNode container) throws IOException, InterruptedException {
        String image = container.path("image").asText();
        String module = image.substring(image.lastIndexOf('/') + 1, image.lastIndexOf(':'));
        Path jar = Manifests.root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("the packaged " + module + " (build the services before deploy)").isRegularFile();
        ProcessBuilder builder = new ProcessBuilder(Classpath.javaExecutable(), "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(data.resolve(module + "-migrate.log").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("QUARKUS_") || name.startsWith("KAFKA_"));
        builder.environment().putAll(environment(container));
        Process process = builder.start();
        boolean exited = process.waitFor(180, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(exited && process.exitValue() == 0)
                .as(module + " ran its migrations and exited 0:\n" + Files.readString(data.resolve(module + "-migrate.log")))
                .isTrue();
    }

    /** The container's variables, with the ConfigMap and the owner's Secret as this test's database gives them. */
    private static Map<String, String> environment(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            assertThat(from.at("/configMapRef/name").asText()).isEqualTo("levain-config");
            env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
            env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + Ports.free());
        }
        for (JsonNode variable : container.path("env")) {
            String name = variable.path("name").asText();
            JsonNode secret = variable.at("/valueFrom/secretKeyRef");
            if (secret.isMissingNode()) {
                env.put(name, variable.path("value").asText());
            } else {
                assertThat(secret.path("name").asText()).as(name).isEqualTo("levain-db-owner");
                env.put(name, secret.path("key").asText().equals("username") ? "levain_owner" : OWNER_PASSWORD);
            }
        }
        return env;
    }

    private static List<String> tables(String schema) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection admin = connect(PostgresServer.SUPERUSER, PostgresServer.PASSWORD);
             PreparedStatement query = admin.prepareStatement(
                     "SELECT tablename FROM pg_tables WHERE schemaname = ? AND tablename <> 'flyway_schema_history' ORDER BY 1")) {
            query.setString(1, schema);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    tables.add(schema + "." + rows.getString(1));
                }
            }
        }
        return tables;
    }

    private static Connection connect(String user, String password) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), user, password);
    }
}
