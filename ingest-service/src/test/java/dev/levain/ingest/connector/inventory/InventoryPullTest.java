package dev.levain.ingest.connector.inventory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;

import dev.levain.devstack.simulator.PanPanCatalog;
import dev.levain.devstack.simulator.inventory.InventorySimulator;
import dev.levain.devstack.simulator.inventory.InventorySimulator.Level;
import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.Json;
import dev.levain.events.Topics;
import dev.levain.ingest.support.InventorySimulatorTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = InventorySimulatorTestResource.class, scope = TestResourceScope.GLOBAL)
class InventoryPullTest {

    private static final String LEVELS = StockLevelPullJob.NAME;
    private static final String CATALOG = CatalogPullJob.NAME;
    /** The %test profile's {@code levain.ingest.inventory.page-size}. */
    private static final int PAGE_SIZE = 10;

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @InventorySimulatorTestResource.Simulator
    InventorySimulator simulator;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void pullPublishesEveryLevelWithItsExactBytesAndCloudEventsHeaders() {
        runPull(LEVELS).body("consecutive_failures", equalTo(0));

        List<ConsumerRecord<String, byte[]>> records = kafka.readAll(Topics.RAW_INVENTORY);
        for (Level level : simulator.levels()) {
            assertThat(records).as(level.key())
                    .anyMatch(r -> r.key().equals(level.key()) && text(r).equals(level.toJson()));
        }
        Level baguette = simulator.level("BAGUETTE", "PAR-BASTILLE");
        ConsumerRecord<String, byte[]> record = records.stream()
                .filter(r -> r.key().equals(baguette.key()) && text(r).equals(baguette.toJson())).findFirst().orElseThrow();
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "ce_type")).isEqualTo("levain.raw.inventory.level");
        assertThat(header(record, "ce_source")).isEqualTo("levain/inventory/PAR-BASTILLE");
        assertThat(header(record, "ce_datacontenttype")).isEqualTo("application/json");
        assertThat(header(record, "ce_id")).matches("[0-9a-f]{64}");
        assertThat(OffsetDateTime.parse(header(record, "ce_time"))).isEqualTo(baguette.updatedAt());
        assertThat(header(record, "ce_contenthash")).hasSize(64);
    }

    @Test
    void changedLevelIsPublishedOnTheNextPullAndUnchangedOnesAreNot() {
        runPull(LEVELS);
        Level unchanged = simulator.level("CAFE", "PAR-MONTMARTRE");
        int unchangedBefore = recordsFor(unchanged.key()).size();
        int changedBefore = recordsFor("CROISSANT@PAR-MONTMARTRE").size();

        Level changed = simulator.setLevel("CROISSANT", "PAR-MONTMARTRE", 17);
        runPull(LEVELS).body("consecutive_failures", equalTo(0));
        runPull(LEVELS);

        List<ConsumerRecord<String, byte[]>> croissant = recordsFor(changed.key());
        assertThat(croissant).hasSize(changedBefore + 1);
        assertThat(text(croissant.get(croissant.size() - 1))).isEqualTo(changed.toJson()).contains("\"on_hand\":17");
        assertThat(recordsFor(unchanged.key())).hasSize(unchangedBefore);
    }

    @Test
    void countChangedUnderTheSameUpdatedAtIsPublishedAsACorrectionReceivedLater() {
        Level counted = simulator.setLevel("BAGUETTE", "PAR-DELIVERY", 20);
        runPull(LEVELS);
        // Recounted as of the same instant (the inventory system fixed a typo): same id, another on_hand.
        Level recounted = simulator.putLevel(new Level(counted.sku(), counted.location(), 21, counted.updatedAt()));
        runPull(LEVELS).body("consecutive_failures", equalTo(0));
        runPull(LEVELS);

        List<ConsumerRecord<String, byte[]>> versions = recordsFor(counted.key()).stream()
                .filter(r -> text(r).equals(counted.toJson()) || text(r).equals(recounted.toJson())).toList();
        // Both kept, once each; the normalizer orders one count by receipt, so 21 is what it stores.
        assertThat(versions).extracting(InventoryPullTest::text).containsExactly(counted.toJson(), recounted.toJson());
        assertThat(Instant.parse(header(versions.get(1), "ce_receivedat")))
                .isAfter(Instant.parse(header(versions.get(0), "ce_receivedat")));
    }

    @Test
    void xmlAnswerIsReadAndEachLevelIsPublishedWithItsElementBytes() {
        simulator.serveOnly(InventorySimulator.Format.XML);
        try {
            Level changed = simulator.setLevel("FLAN", "PAR-DELIVERY", 0);
            runPull(LEVELS).body("consecutive_failures", equalTo(0));

            ConsumerRecord<String, byte[]> record = recordsFor(changed.key()).stream()
                    .filter(r -> text(r).equals(changed.toXml())).findFirst().orElseThrow();
            assertThat(text(record)).startsWith("<stockLevel sku=\"FLAN\" location=\"PAR-DELIVERY\"><onHand>0</onHand>");
            assertThat(header(record, "ce_datacontenttype")).isEqualTo("application/xml");
            assertThat(header(record, "ce_type")).isEqualTo("levain.raw.inventory.level");
        } finally {
            simulator.heal();
            // A JSON version of the level again, for the tests that expect every level in JSON.
            simulator.setLevel("FLAN", "PAR-DELIVERY", 12);
            runPull(LEVELS);
        }
    }

    @Test
    void catalogPullPublishesProductsWithUnitCostAndReorderPoint() throws Exception {
        runPull(CATALOG).body("consecutive_failures", equalTo(0));

        List<ConsumerRecord<String, byte[]>> records = kafka.readAll(Topics.RAW_INVENTORY);
        for (PanPanCatalog.Product product : PanPanCatalog.PRODUCTS) {
            assertThat(records).as(product.sku())
                    .anyMatch(r -> r.key().equals(product.sku()) && text(r).equals(simulator.productJson(product)));
        }
        ConsumerRecord<String, byte[]> baguette = records.stream().filter(r -> r.key().equals("BAGUETTE")).findFirst()
                .orElseThrow();
        var product = Json.mapper().readTree(baguette.value());
        assertThat(product.get("unit_cost").decimalValue()).isEqualByComparingTo("0.35");
        assertThat(product.get("reorder_point").intValue()).isEqualTo(60);
        assertThat(header(baguette, "ce_type")).isEqualTo("levain.raw.inventory.product");
        assertThat(header(baguette, "ce_source")).isEqualTo("levain/inventory/catalog");

        runPull(CATALOG);
        assertThat(kafka.readAll(Topics.RAW_INVENTORY).stream().filter(r -> r.key().equals("BAGUETTE"))).hasSize(1);
    }

    @Test
    void cursorIsTheLatestChangeSeenAndIsKeptInTheDatabase() {
        simulator.setLevel("MACARON", "PAR-BASTILLE", 25);
        runPull(LEVELS).body("consecutive_failures", equalTo(0));

        Instant latest = simulator.levels().stream().map(l -> l.updatedAt().toInstant())
                .max(Comparator.naturalOrder()).orElseThrow();
        assertThat(Instant.parse(cursor(LEVELS))).isEqualTo(latest);
        given().auth().oauth2("test-upload-token").get("/api/v1/ingest/pulls").then().statusCode(200)
                .body("find { it.job == 'inventory-levels' }.cursor", equalTo(latest.toString()))
                .body("find { it.job == 'inventory-levels' }.source", equalTo("inventory"));
    }

    @Test
    void levelChangedWhileAPullPagesThroughTheListIsNotMissed() {
        runPull(LEVELS);
        List<Level> changed = new ArrayList<>();
        for (PanPanCatalog.Product product : PanPanCatalog.PRODUCTS.subList(0, 25)) {
            changed.add(simulator.setLevel(product.sku(), "PAR-DELIVERY", 30 + changed.size()));
        }
        Level first = changed.get(0);
        List<Level> movedLater = new CopyOnWriteArrayList<>();
        // Once the page holding the first change is served, that level changes again and moves to the end
        // of the list: every level behind it shifts back one place.
        simulator.afterPage(page -> page.size() == PAGE_SIZE && page.contains(first),
                () -> movedLater.add(simulator.setLevel(first.sku(), first.location(), 1)));

        runPull(LEVELS).body("consecutive_failures", equalTo(0));
        runPull(LEVELS).body("consecutive_failures", equalTo(0));

        assertThat(movedLater).as("the level changed in the middle of a pull").hasSize(1);
        changed.add(movedLater.get(0));
        List<ConsumerRecord<String, byte[]>> records = kafka.readAll(Topics.RAW_INVENTORY);
        for (Level level : changed) {
            assertThat(records).as(level.toJson())
                    .anyMatch(r -> r.key().equals(level.key()) && text(r).equals(level.toJson()));
        }
    }

    @Test
    void levelWhoseLocationCannotBeAKeyIsSkippedCountedAndThePullGoesOn() {
        runPull(LEVELS);
        Level bad = simulator.putLevel(new Level("BAGUETTE", "Store 1", 5, OffsetDateTime.now(ZoneOffset.UTC)));
        try {
            Level good = simulator.setLevel("FICELLE", "PAR-MONTMARTRE", 14);

            runPull(LEVELS)
                    .body("consecutive_failures", equalTo(0))
                    .body("last_error", nullValue())
                    .body("last_result.rejected", greaterThanOrEqualTo(1));

            assertThat(recordsFor(good.key())).anyMatch(r -> text(r).equals(good.toJson()));
            assertThat(recordsFor(bad.key())).isEmpty();
            assertThat(Instant.parse(cursor(LEVELS))).isAfterOrEqualTo(good.updatedAt().toInstant());
            assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString()).containsPattern(
                    "levain_ingest_events_total\\{connector=\"inventory\",outcome=\"rejected\",reason=\"invalid\"} [1-9]");
        } finally {
            simulator.removeLevel(bad.sku(), bad.location());
        }
    }

    @Test
    void levelDatedInTheFutureDoesNotMoveTheCursorPastThePull() {
        runPull(LEVELS);
        Level future = simulator.putLevel(new Level("FOUGASSE", "PAR-MONTMARTRE", 9,
                OffsetDateTime.now(ZoneOffset.UTC).plusDays(1)));
        try {
            runPull(LEVELS).body("consecutive_failures", equalTo(0));
            assertThat(recordsFor(future.key())).anyMatch(r -> text(r).equals(future.toJson()));
            assertThat(Instant.parse(cursor(LEVELS))).isBeforeOrEqualTo(Instant.now());

            Level later = simulator.setLevel("SEIGLE", "PAR-MONTMARTRE", 4);
            runPull(LEVELS).body("consecutive_failures", equalTo(0));

            assertThat(recordsFor(later.key())).anyMatch(r -> text(r).equals(later.toJson()));
        } finally {
            // Back to a level dated now, for the tests that expect the cursor at the latest change.
            simulator.setLevel(future.sku(), future.location(), 9);
            runPull(LEVELS);
        }
    }

    @Test
    void answerLargerThanTheResponseLimitFailsThePullAndKeepsTheCursor() {
        runPull(LEVELS).body("consecutive_failures", equalTo(0));
        String cursorBefore = cursor(LEVELS);
        // A 2 MiB location makes the first page larger than the %test limit (1M).
        Level huge = simulator.putLevel(new Level("BAGUETTE", "X".repeat(2 * 1024 * 1024), 5,
                OffsetDateTime.now(ZoneOffset.UTC)));
        try {
            runPull(LEVELS)
                    .body("consecutive_failures", greaterThanOrEqualTo(1))
                    .body("last_error", containsString(
                            "larger than the 1048576 bytes allowed (levain.ingest.max-upstream-response-size)"));

            assertThat(cursor(LEVELS)).isEqualTo(cursorBefore);
        } finally {
            simulator.removeLevel(huge.sku(), huge.location());
        }
        runPull(LEVELS).body("consecutive_failures", equalTo(0));
    }

    @Test
    void serverErrorsKeepTheCursorShowDownAndThePullCatchesUpAfter() {
        outageThenRecovery(() -> simulator.failNext(Integer.MAX_VALUE, 503), () -> { }, "answered 503");
    }

    @Test
    void slowAnswersKeepTheCursorShowDownAndThePullCatchesUpAfter() {
        outageThenRecovery(() -> simulator.slowNext(Integer.MAX_VALUE, Duration.ofSeconds(3)), () -> { },
                "did not answer GET /v1/stock-levels within 1000 ms");
    }

    @Test
    void malformedAnswersKeepTheCursorShowDownAndThePullCatchesUpAfter() {
        outageThenRecovery(() -> simulator.malformedNext(Integer.MAX_VALUE), () -> { }, "is not valid JSON");
    }

    @Test
    void unreachableApiKeepsTheCursorShowsDownAndThePullCatchesUpAfter() {
        outageThenRecovery(simulator::goOffline, simulator::goOnline, "unreachable");
    }

    /** Breaks the API, changes a level, checks nothing moved and health says why, then repairs it and checks the catch-up. */
    private void outageThenRecovery(Runnable breakApi, Runnable repairApi, String reason) {
        runPull(LEVELS).body("consecutive_failures", equalTo(0));
        String cursorBefore = cursor(LEVELS);
        Level changed;
        breakApi.run();
        try {
            changed = simulator.setLevel("PAIN-CHOC", "PAR-BASTILLE", 3);
            runPull(LEVELS)
                    .body("consecutive_failures", greaterThanOrEqualTo(1))
                    .body("last_error", containsString(reason));

            assertThat(cursor(LEVELS)).isEqualTo(cursorBefore);
            given().auth().oauth2("test-upload-token").get("/api/v1/ingest/pulls").then().statusCode(200)
                    .body("find { it.job == 'inventory-levels' }.consecutive_failures", greaterThanOrEqualTo(1))
                    .body("find { it.job == 'inventory-levels' }.cursor", equalTo(cursorBefore));
            given().get("/q/health/well").then().statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'Scheduled pulls' }.data.'inventory-levels'", containsString(reason));
            assertThat(recordsFor(changed.key())).noneMatch(r -> text(r).equals(changed.toJson()));
        } finally {
            simulator.heal();
            repairApi.run();
        }

        runPull(LEVELS).body("consecutive_failures", equalTo(0));
        assertThat(recordsFor(changed.key())).filteredOn(r -> text(r).equals(changed.toJson())).hasSize(1);
        assertThat(Instant.parse(cursor(LEVELS))).isAfter(Instant.parse(cursorBefore));
        await().untilAsserted(() ->
                given().get("/q/health/well").then().statusCode(200).body("status", equalTo("UP")));
    }

    private static ValidatableResponse runPull(String job) {
        return given().auth().oauth2("test-upload-token").post("/api/v1/ingest/pulls/{job}/run", job).then().statusCode(200);
    }

    private String cursor(String job) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT position FROM ingest.pull_cursor WHERE job = ?")) {
            select.setString(1, job);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).as("a cursor for " + job).isTrue();
                return row.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<ConsumerRecord<String, byte[]>> recordsFor(String key) {
        return kafka.readAll(Topics.RAW_INVENTORY).stream().filter(r -> key.equals(r.key())).toList();
    }

    private static String text(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
