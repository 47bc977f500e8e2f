package dev.levain.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levain.devstack.DataDirs;
import dev.levain.devstack.Ports;
import dev.levain.devstack.backup.KpiSnapshot;
import dev.levain.devstack.backup.PgClientTools;
import dev.levain.devstack.backup.RestoreDrill;
import dev.levain.devstack.postgres.PostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The restore drill against a real devstack PostgreSQL holding Levain's schemas (the services' own
 * Flyway migrations) and 300 PanPan sales: dump, restore into a fresh cluster, identical KPIs.
 * The server runs from the 15.x binaries (deploy/pom.xml) because this machine's pg_dump is 15's.
 */
class RestoreDrillTest {

    private static final int SALES = 300;

    private static Path data;
    private static PostgresServer source;

    @BeforeAll
    static void startSourceWithPanPanSales() throws SQLException {
        data = DataDirs.createTemporary("levain-drill-test-");
        source = PostgresServer.start(data.resolve("source"), Ports.free(), false);
        migrate("normalize-service", "core");
        migrate("ingest-service", "ingest");
        migrate("alert-service", "alerts");
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            sql.execute("""
                    INSERT INTO core.store (code, name, timezone, currency) VALUES
                      ('PAR-BASTILLE', 'Bastille', 'Europe/Paris', 'EUR'),
                      ('PAR-MARAIS', 'Marais', 'Europe/Paris', 'EUR'),
                      ('PAR-NATION', 'Nation', 'Europe/Paris', 'EUR')""");
            sql.execute("INSERT INTO core.product (sku, name, price, unit_cost) SELECT 'SKU-' || g, 'Product ' || g, 1.10 * g, 0.40 * g FROM generate_series(1, 5) g");
            sql.execute("INSERT INTO core.customer (email, name) SELECT 'c' || g || '@panpan.test', 'Customer ' || g FROM generate_series(1, 20) g");
            sql.execute("""
                    INSERT INTO core.raw_event (event_id, source, type, topic, kafka_partition, kafka_offset, headers, payload)
                    SELECT 'e' || g, 'levain/pos/test', 'levain.raw.pos.sale', 'levain.raw.pos', 0, g, '{}'::jsonb, convert_to('{}', 'UTF8')
                    FROM generate_series(1, %d) g""".formatted(SALES));
            // Store g % 3, day g % 5, every tenth sale voided, every fourth anonymous, net 2.50 + g % 7.
            sql.execute("""
                    INSERT INTO core.sale (source, source_id, store_id, customer_id, occurred_at, business_date, status,
                                           currency, gross, discount, net, version, received_at, raw_event_id)
                    SELECT 'pos', 'S-' || g,
                           (SELECT id FROM core.store ORDER BY id OFFSET g %% 3 LIMIT 1),
                           CASE WHEN g %% 4 = 0 THEN NULL ELSE (SELECT id FROM core.customer ORDER BY id OFFSET g %% 20 LIMIT 1) END,
                           timestamptz '2026-11-20 08:00+01' + (g %% 5) * interval '1 day', date '2026-11-20' + g %% 5,
                           CASE WHEN g %% 10 = 0 THEN 'voided' ELSE 'completed' END,
                           'EUR', 2.50 + g %% 7, 0, 2.50 + g %% 7, 1, now(),
                           (SELECT id FROM core.raw_event WHERE event_id = 'e' || g)
                    FROM generate_series(1, %d) g""".formatted(SALES));
            sql.execute("""
                    INSERT INTO core.sale_line (sale_id, line_no, product_id, qty, unit_price, discount, net)
                    SELECT s.id, n, (SELECT id FROM core.product ORDER BY id OFFSET n - 1 LIMIT 1), 1, s.net / 2, 0, s.net / 2
                    FROM core.sale s, generate_series(1, 2) n""");
        }
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
        DataDirs.delete(data);
    }

    @Test
    void restoredDatabaseHasTheSameKpis() {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        RestoreDrill.Result result = RestoreDrill.run(
                new RestoreDrill.Source("127.0.0.1", source.port(), PostgresServer.DATABASE, PostgresServer.SUPERUSER, PostgresServer.PASSWORD),
                PgClientTools.find(null), new PrintStream(report, true, StandardCharsets.UTF_8));

        System.out.print(report.toString(StandardCharsets.UTF_8));
        assertThat(result.differences()).isEmpty();
        assertThat(result.passed()).isTrue();
        assertThat(result.dumpBytes()).isPositive();
        KpiSnapshot restored = result.restored();
        assertThat(restored.dailySales()).hasSize(15);
        assertThat(restored.dailySales().values().stream().mapToInt(f -> Integer.parseInt(f.split(" ")[0])).sum())
                .isEqualTo(270);
        BigDecimal expectedNet = IntStream.rangeClosed(1, SALES).filter(g -> g % 10 != 0)
                .mapToObj(g -> new BigDecimal("2.50").add(BigDecimal.valueOf(g % 7))).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(restored.dailySales().values().stream().map(f -> new BigDecimal(f.substring(f.indexOf("net ") + 4)))
                .reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo(expectedNet);
        assertThat(restored.rowCounts()).containsEntry("core.sale", (long) SALES).containsEntry("core.sale_line", 2L * SALES)
                .containsEntry("core.store", 3L).containsKeys("ingest.received_event", "alerts.observed_event");
        assertThat(restored.customers()).isEqualTo(20);
        assertThat(report.toString(StandardCharsets.UTF_8))
                .contains("PASS: 15 store-days", "sales PAR-MARAIS 2026-11-2", "rows core.sale_line");
    }

    @Test
    void aChangedFigureIsReportedAsADifference() throws SQLException {
        KpiSnapshot before = KpiSnapshot.of(source.jdbcUrl(), PostgresServer.SUPERUSER, PostgresServer.PASSWORD);
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            sql.execute("UPDATE core.sale SET net = net + 1 WHERE source_id = 'S-1'");
            KpiSnapshot after = KpiSnapshot.of(source.jdbcUrl(), PostgresServer.SUPERUSER, PostgresServer.PASSWORD);
            sql.execute("UPDATE core.sale SET net = net - 1 WHERE source_id = 'S-1'");
            assertThat(before.differences(after)).singleElement().asString()
                    .startsWith("sales PAR-MARAIS 2026-11-21:").contains(" vs ");
        }
    }

    @Test
    void toolsOlderThanTheServerAreRefused() {
        PgClientTools tools = new PgClientTools(Path.of("pg_dump"), Path.of("pg_restore"), 15);
        assertThatThrownBy(() -> tools.requireAtLeast(17)).hasMessageContaining("postgresql-client-17");
    }

    private static void migrate(String module, String schema) {
        Flyway.configure()
                .dataSource(source.jdbcUrl(), PostgresServer.SUPERUSER, PostgresServer.PASSWORD)
                .schemas(schema).createSchemas(true)
                .locations("filesystem:" + Manifests.root().resolve(module).resolve("src/main/resources/db").resolve(schema))
                .load().migrate();
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(source.jdbcUrl(), PostgresServer.SUPERUSER, PostgresServer.PASSWORD);
    }
}
