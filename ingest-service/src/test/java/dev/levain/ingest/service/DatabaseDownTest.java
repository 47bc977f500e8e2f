package dev.levain.ingest.service;

import static dev.levain.ingest.support.Webhooks.postSigned;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Ingest whose PostgreSQL cannot be reached (its datasource points at a closed port), with the module's
 * real Kafka: it must stay ready and keep accepting, since it can publish without its dedupe ledger.
 */
@QuarkusTest
@TestProfile(DatabaseDownTest.DatabaseUnreachable.class)
class DatabaseDownTest {

    /** The shared devstack's Kafka, and a datasource nothing answers on; no migration at start (it would fail). */
    public static class DatabaseUnreachable implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.flyway.migrate-at-start", "false",
                    // Nothing to reconcile against either: keep the Square pull on the loopback.
                    "levain.ingest.pos.square.api-base-url", "http://127.0.0.1:" + closedPort());
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(UnreachableDatabase.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            // The global devstack resource would point the datasource back at the running PostgreSQL.
            return true;
        }
    }

    /** The devstack's settings with the datasource URL moved to a port nothing listens on. */
    public static class UnreachableDatabase implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(new DevStackTestResource().start());
            config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + closedPort() + "/levain");
            return config;
        }

        @Override
        public void stop() {
            // The devstack outlives this application (see DevStackTestResource).
        }
    }

    @Test
    void readinessStaysUpWhileKafkaIsUpAndReportsTheLedgerDegraded() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'SmallRye Reactive Messaging - readiness check' }.status",
                        equalTo("UP"))
                .body("checks.find { it.name == 'Dedupe ledger' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Dedupe ledger' }.data.ledger", equalTo("degraded")));
    }

    @Test
    void saleIsAcceptedAndPublishedWithoutTheLedger() {
        String saleId = "S-" + UUID.randomUUID();

        postSigned("/api/v1/ingest/pos/sales", """
                {"store_code": "PAR-07", "sale_id": "%s", "occurred_at": "2026-11-27T08:15:00+01:00",
                 "lines": [{"sku": "CROISSANT", "quantity": 1, "unit_price": 1.20}]}""".formatted(saleId))
                .statusCode(202)
                .body("status", equalTo("accepted"));

        assertThat(KafkaTestClient.shared().readAll(Topics.RAW_POS))
                .anyMatch(record -> ("PAR-07/" + saleId).equals(record.key()));
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
