package dev.levain.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levain.devstack.DataDirs;
import dev.levain.devstack.Ports;
import dev.levain.devstack.launcher.AlertOutside;
import dev.levain.devstack.launcher.LevainSystem;
import dev.levain.devstack.launcher.Service;
import dev.levain.devstack.postgres.PostgresServer;
import dev.levain.devstack.simulator.PanPanCatalog;
import dev.levain.devstack.simulator.PanPanSales;
import dev.levain.devstack.simulator.mail.MailCatcher;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.Topics;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The four packaged services as separate processes over real PostgreSQL and Kafka, as {@code levain up} runs them. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LevainSystemIT {

    private static final Path HOME = Path.of(System.getProperty("levain.home", "..")).toAbsolutePath().normalize();

    /** How long the dashboard may take to show what it was asked. */
    private static final Duration SHOWN_WITHIN = Duration.ofSeconds(20);

    private static LevainSystem system;
    private static Path data;

    @BeforeAll
    static void startSystem() {
        data = DataDirs.createTemporary("levain-system-it-");
        // With the per-event lines a trace is followed by (aSaleIsOneTraceFromTheWebhookToTheAlertItRaises).
        system = new LevainSystem(HOME, data, 0, 0, Ports.freeRange(4)).withEventLines().start();
    }

    @AfterAll
    static void stopSystem() throws IOException {
        if (system != null) {
            system.close();
        }
        // Every process's log under target/LevainSystemIT, for whoever reads a failure.
        ProcessLogs.keep(LevainSystemIT.class, data.resolve("logs"), file -> true);
        DataDirs.delete(data);
    }

    @Test
    @Order(1)
    void postedSaleShowsInTheKpiApiAndADuplicateCountsOnce() {
        String store = newStore();
        String sale = sale(store, "S-1", "2026-11-27T08:15:00+01:00", "2", "1.40").replace("{", "{\"version\": 1, ");
        // A correction of the same sale: same key, so it is normalized after both copies above.
        String correction = sale(store, "S-1", "2026-11-27T08:15:00+01:00", "3", "1.40").replace("{", "{\"version\": 2, ");

        assertThat(post(sale).status()).isEqualTo(202);
        // The same sale again is acknowledged as a duplicate and not published twice.
        assertThat(post(sale).status()).isEqualTo(200);
        assertThat(post(correction).status()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode day = kpiDay(store, "2026-11-27");
            assertThat(day.get("net_sales").decimalValue()).isEqualByComparingTo(new BigDecimal("4.20"));
            assertThat(day.get("transactions").asLong()).isEqualTo(1);
            assertThat(day.get("average_ticket").decimalValue()).isEqualByComparingTo(new BigDecimal("4.20"));
        });
    }

    @Test
    @Order(2)
    void invalidSaleIsRefusedNamingTheField() {
        String sale = sale(newStore(), "S-2", "2026-11-27T08:15:00+01:00", "2", "1.40").replace("\"sku\"", "\"sku_typo\"");

        Http.Reply reply = post(sale);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.body().get("errors").get(0).get("field").asText()).isEqualTo("lines[0].sku");
    }

    @Test
    @Order(3)
    void withTheBrokerDownIngestAnswers503AndTheSendersRetrySucceedsAfterRecovery() {
        String store = newStore();
        String sale = sale(store, "S-3", "2026-11-26T18:00:00+01:00", "1", "4.20");
        system.stack().kafka().stop();
        try {
            Http.Reply refused = post(sale);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body().get("title").asText()).isEqualTo("Event store unavailable");
            Http.Reply upload = Http.postCsv(system.url(Service.INGEST) + "/api/v1/ingest/pos/csv", csvSale(store),
                    system.secrets().uploadToken());
            assertThat(upload.status()).isEqualTo(503);
            assertThat(upload.body().get("detail").asText()).contains("Upload the same file again");
        } finally {
            system.stack().kafka().start();
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> post(sale).status() == 202);
        Http.Reply upload = Http.postCsv(system.url(Service.INGEST) + "/api/v1/ingest/pos/csv", csvSale(store),
                system.secrets().uploadToken());
        assertThat(upload.status()).isEqualTo(200);
        assertThat(upload.body().get("accepted_items").asInt()).isEqualTo(1);
        // Both the posted sale (4.20) and the uploaded one (1.30) are in the day's KPIs.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode day = kpiDay(store, "2026-11-26");
            assertThat(day.get("transactions").asLong()).isEqualTo(2);
            assertThat(day.get("net_sales").decimalValue()).isEqualByComparingTo(new BigDecimal("5.50"));
        });
    }

    @Test
    @Order(4)
    void salesAcceptedWhileTheDatabaseIsDownAreRecordedWhenItIsBack() {
        String store = newStore();
        system.stack().postgres().close();
        try {
            // Ingest needs only Kafka (its dedupe ledger is skipped): the sale is accepted and waits in levain.raw.pos.
            assertThat(post(sale(store, "S-4", "2026-11-25T12:00:00+01:00", "2", "2.10")).status())
                    .isEqualTo(202);
            // An outage outlasts the attempts given to a failing event (5): the normalizer keeps retrying.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(Files.readString(system.log(Service.NORMALIZE))).contains(": attempt 6 failed"));
        } finally {
            system.stack().postgres().start();
        }

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            JsonNode day = kpiDay(store, "2026-11-25");
            assertThat(day.get("transactions").asLong()).isEqualTo(1);
            assertThat(day.get("net_sales").decimalValue()).isEqualByComparingTo(new BigDecimal("4.20"));
        });
    }

    @Test
    @Order(5)
    void simulatedPosVendorCrmAndInventoryFeedIngestOverRealHttp() {
        // Square: a sale raises signed webhooks; ingest fetches the order and acknowledges each one.
        var sale = system.outside().square().sell();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sale.webhooks())
                .allSatisfy(webhook -> assertThat(system.outside().square().delivered(webhook.eventId())).isTrue()));

        // CRM: a pull run now publishes the contacts and moves the cursor.
        Http.Reply pull = Http.post(system.url(Service.INGEST) + "/api/v1/ingest/pulls/crm-customers/run",
                system.secrets().uploadToken());
        assertThat(pull.status()).isEqualTo(200);
        assertThat(pull.body().get("consecutive_failures").asInt()).isZero();
        assertThat(pull.body().get("cursor").asText()).isNotBlank();
        // Inventory: stock levels pulled now.
        Http.Reply levels = Http.post(system.url(Service.INGEST) + "/api/v1/ingest/pulls/inventory-levels/run",
                system.secrets().uploadToken());
        assertThat(levels.status()).isEqualTo(200);
        assertThat(levels.body().get("consecutive_failures").asInt()).isZero();
        assertThat(levels.body().get("last_result").get("fetched").asInt()).isPositive();
        assertThat(Http.get(system.url(Service.INGEST) + "/q/health/well").status()).isEqualTo(200);

        // A CSV export uploaded with the run's upload token.
        Http.Reply upload = Http.postCsv(system.url(Service.INGEST) + "/api/v1/ingest/pos/csv",
                "store_code,sale_id,occurred_at,sku,quantity,unit_price\n" + newStore()
                        + ",T-1,2026-11-27 08:15,CROISSANT,2,\"1,40\"\n", system.secrets().uploadToken());
        assertThat(upload.status()).isEqualTo(200);
        assertThat(upload.body().get("accepted_items").asInt()).isEqualTo(1);
    }

    @Test
    @Order(6)
    void csvUploadCutByABrokerOutageIsCompletedByUploadingTheSameFileAgain() throws Exception {
        String store = newStore();
        int sales = 20_001;
        String file = "store_code,sale_id,occurred_at,sku,quantity,unit_price\n" + IntStream.range(0, sales)
                .mapToObj(i -> store + ",C-" + i + ",2026-11-24T09:00:00+01:00,CROISSANT,1,1.40\n")
                .collect(Collectors.joining());
        // The whole file is taken in, then published 500 sales at a time: the broker stops after the first 500.
        HttpRequest upload = HttpRequest.newBuilder(URI.create(system.url(Service.INGEST) + "/api/v1/ingest/pos/csv"))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "text/csv")
                .header("Authorization", "Bearer " + system.secrets().uploadToken())
                .POST(HttpRequest.BodyPublishers.ofString(file)).build();
        CompletableFuture<HttpResponse<String>> cut = HttpClient.newHttpClient()
                .sendAsync(upload, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> reply;
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> rawSales(store).size() >= 500);
            system.stack().kafka().stop();
            reply = cut.get(120, TimeUnit.SECONDS);
        } finally {
            system.stack().kafka().start();
        }
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(503);
        assertThat(reply.body()).contains("items before it are stored");

        // The sender uploads the same file again until it is taken, as the 503 says.
        AtomicReference<Http.Reply> taken = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            taken.set(Http.postCsv(system.url(Service.INGEST) + "/api/v1/ingest/pos/csv", file,
                    system.secrets().uploadToken()));
            return taken.get().status() != 503;
        });
        Http.Reply again = taken.get();
        assertThat(again.status()).isEqualTo(200);
        int duplicates = again.body().get("duplicate_items").asInt();
        assertThat(duplicates).as("stored before the outage").isGreaterThanOrEqualTo(500).isLessThan(sales);
        assertThat(again.body().get("accepted_items").asInt()).isEqualTo(sales - duplicates);
        // Every sale of the file is there, each with one event id (a retried publish may repeat a record).
        List<ConsumerRecord<String, byte[]>> published = rawSales(store);
        assertThat(published.stream().map(ConsumerRecord::key).distinct()).hasSize(sales);
        assertThat(published.stream().map(r -> new String(r.headers().lastHeader("ce_id").value(),
                StandardCharsets.UTF_8)).distinct()).hasSize(sales);
    }

    @Test
    @Order(7)
    void aStreamThroughADatabaseOutageAndANormalizerCrashIsStoredExactlyOnce() throws Exception {
        String store = newStore();
        PanPanSales generator = new PanPanSales(new Random(7));
        List<PanPanSales.Sale> sales = IntStream.range(0, 3000).mapToObj(i -> {
            PanPanSales.Sale sale = generator.next(OffsetDateTime.parse("2026-11-23T08:00:00+01:00").plusSeconds(i), 3, 5);
            return new PanPanSales.Sale(store, "B-" + i, sale.occurredAt(), sale.customerEmail(), sale.lines());
        }).toList();
        BigDecimal expectedNet = sales.stream().flatMap(s -> s.lines().stream())
                .map(l -> l.unitPrice().multiply(BigDecimal.valueOf(l.quantity()))).reduce(BigDecimal.ZERO, BigDecimal::add);
        KafkaTestClient kafka = new KafkaTestClient(system.stack().kafka().bootstrapServers());
        Thread till = new Thread(() -> produce(kafka, sales, 100), "till");
        till.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> storedSales(store) > 0);
        system.stack().postgres().close();
        try {
            // Thirty seconds without a database while the tills keep selling.
            await().pollDelay(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(31)).until(() -> true);
        } finally {
            system.stack().postgres().start();
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> storedSales(store) > 1000);
        // Killed while batches are being written: what was not acknowledged is read again on restart.
        system.killAndRestart(Service.NORMALIZE);
        till.join();

        await().atMost(Duration.ofSeconds(180)).until(() -> storedSales(store) == sales.size());
        try (Connection db = database(); Statement statement = db.createStatement()) {
            ResultSet day = statement.executeQuery("""
                    SELECT sum(d.transactions), sum(d.net), sum(d.lines) FROM core.daily_store_sales d
                    JOIN core.store s ON s.id = d.store_id WHERE s.code = '%s'""".formatted(store));
            day.next();
            assertThat(day.getLong(1)).isEqualTo(sales.size());
            assertThat(day.getBigDecimal(2)).isEqualByComparingTo(expectedNet);
            assertThat(day.getLong(3)).isEqualTo(sales.stream().mapToLong(s -> s.lines().size()).sum());
            // Reconciliation: every raw event accepted is in the model or rejected, once.
            ResultSet landed = statement.executeQuery("""
                    SELECT (SELECT count(*) FROM core.raw_event WHERE kafka_key LIKE '%1$s/%%'),
                           (SELECT count(DISTINCT event_id) FROM core.raw_event WHERE kafka_key LIKE '%1$s/%%'),
                           (SELECT count(*) FROM core.rejected_event WHERE kafka_key LIKE '%1$s/%%')""".formatted(store));
            landed.next();
            assertThat(landed.getLong(1) + landed.getLong(3)).isEqualTo(rawSales(store).size());
            assertThat(landed.getLong(2)).isEqualTo(sales.size());
            assertThat(landed.getLong(3)).isZero();
        }
    }

    @Test
    @Order(8)
    void anAdminManagesAlertRulesAndReplaysThroughTheApiWithTheOtherServicesOwnTokens() {
        String admin = system.apiTokens().issue("system-test", "admin", List.of(), Duration.ofMinutes(5));
        String api = system.url(Service.API) + "/api/v1/admin";
        String alertRules = system.url(Service.ALERT) + "/api/v1/alerts/rules";
        String store = newStore();

        // A rule created through api-service is alert-service's: read back and listed by its own API.
        Http.Reply created = Http.json("POST", api + "/alert-rules",
                "{\"name\": \"Low stock " + store + "\", \"kind\": \"low_stock\", \"store_code\": \"" + store
                        + "\", \"threshold\": 12, \"channels\": [\"slack\"]}", admin);
        assertThat(created.status()).isEqualTo(201);
        long id = created.body().get("id").asLong();
        Http.Reply own = Http.get(alertRules + "/" + id, system.secrets().alertAdminToken());
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.body().get("store_code").asText()).isEqualTo(store);
        assertThat(own.body().get("threshold").decimalValue()).isEqualByComparingTo("12");
        Http.Reply listed = Http.get(alertRules + "?page=1&size=200", system.secrets().alertAdminToken());
        assertThat(listed.body().get("items").findValuesAsText("name")).contains("Low stock " + store);
        // Read back through api-service: the same JSON object, not JSON text wrapped in a string.
        Http.Reply ruleThroughApi = Http.get(api + "/alert-rules/" + id, admin);
        assertThat(ruleThroughApi.status()).isEqualTo(200);
        assertThat(ruleThroughApi.body().get("store_code").asText()).isEqualTo(store);
        assertThat(Http.get(api + "/alert-rules?page=1&size=200", admin).body().get("items").findValuesAsText("name"))
                .contains("Low stock " + store);
        // Replaced and disabled through api-service too; alert-service's answers come back as they are.
        Http.Reply replaced = Http.json("PUT", api + "/alert-rules/" + id,
                "{\"name\": \"Low stock " + store + "\", \"kind\": \"low_stock\", \"store_code\": \"" + store
                        + "\", \"threshold\": 3}", admin);
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.body().get("threshold").decimalValue()).isEqualByComparingTo("3");
        assertThat(Http.json("DELETE", api + "/alert-rules/" + id, null, admin).body().get("enabled").asBoolean())
                .isFalse();
        assertThat(Http.get(alertRules + "/" + id, system.secrets().alertAdminToken()).body().get("enabled").asBoolean())
                .isFalse();
        // alert-service's refusal stays a 400 naming the field, and its 404 stays a 404.
        Http.Reply refused = Http.json("POST", api + "/alert-rules", "{\"name\": \"Bad\", \"kind\": \"low_stock\", "
                + "\"min_days\": 2}", admin);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body().get("errors").findValuesAsText("field")).contains("min_days");
        assertThat(Http.get(api + "/alert-rules/999999999", admin).status()).isEqualTo(404);

        // An event of a type no mapper knows is rejected; replaying it through api-service answers as
        // normalize-service itself does (still rejected: nothing was fixed).
        String type = "levain.raw.pos.e2e-" + store.toLowerCase();
        new KafkaTestClient(system.stack().kafka().bootstrapServers()).sendCloudEvent(Topics.RAW_POS, store + "/X-1",
                "{}".getBytes(StandardCharsets.UTF_8), store + "/X-1", type, "levain/pos-native/" + store);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                Http.get(api + "/rejected-events?limit=500", admin).body().findValuesAsText("type")).contains(type));
        String replay = "{\"type\": \"" + type + "\"}";
        Http.Reply throughApi = Http.json("POST", api + "/replay-rejected", replay, admin);
        Http.Reply direct = Http.json("POST", system.url(Service.NORMALIZE) + "/api/v1/normalize/replay-rejected", replay,
                system.secrets().uploadToken());
        assertThat(throughApi.status()).isEqualTo(200);
        assertThat(throughApi.body()).isEqualTo(direct.body());
        assertThat(throughApi.body().get("events").asLong()).isEqualTo(1);
        assertThat(throughApi.body().get("rejected").asLong()).isEqualTo(1);
        // normalize-service's own validation passes through too; a viewer never gets that far.
        Http.Reply viewer = Http.json("POST", api + "/replay-rejected", replay,
                system.apiTokens().issue("system-test", "viewer", List.of(), Duration.ofMinutes(5)));
        assertThat(viewer.status()).isEqualTo(403);
    }

    /**
     * An owner opens a new store from the dashboard's form (through api-service to normalize-service): its till's
     * first sale, sent under the till's own id, is counted in the new store's zone and currency at once, and the
     * dashboard shows it, no service restarted. Its zone, once it has sales, stays.
     */
    @Test
    @Order(9)
    void aStoreAddedFromTheDashboardTakesItsFirstSaleWithoutAnyRestart() throws IOException {
        String admin = system.apiTokens().issue("system-test", "admin", List.of(), Duration.ofMinutes(5));
        String code = newStore();
        String till = "TILL-" + code;
        try (Chromium chromium = new Chromium()) {
            chromium.open(system.url(Service.API) + "/dashboard/#token=" + admin);
            chromium.byTestId("store-form", SHOWN_WITHIN);
            chromium.byTestId("store-code", SHOWN_WITHIN).sendKeys(code.toLowerCase());
            chromium.byTestId("store-name", SHOWN_WITHIN).sendKeys("Brooklyn");
            chromium.byTestId("store-timezone", SHOWN_WITHIN).sendKeys("America/New_York");
            chromium.byTestId("store-currency", SHOWN_WITHIN).sendKeys("USD");
            chromium.byTestId("store-aliases", SHOWN_WITHIN).sendKeys(till.toLowerCase());
            chromium.byTestId("store-hours", SHOWN_WITHIN).sendKeys("{\"mon\": [[\"07:00\", \"19:00\"]]}");
            chromium.byTestId("store-save", SHOWN_WITHIN).click();
            chromium.until(SHOWN_WITHIN, page -> chromium.byTestId("store-form-result", SHOWN_WITHIN).getText()
                    .equals("Added " + code + "."));
            assertThat(chromium.byTestId("store-row-" + code, SHOWN_WITHIN).getText())
                    .contains("Brooklyn", "America/New_York", "USD", till);

            // 23:30 in New York on the 27th is the 28th in Paris: the store's own zone decides its business day.
            assertThat(post(sale(till, "S-1", "2026-11-27T23:30:00-05:00", "2", "1.50")).status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode day = kpiDay(code, "2026-11-27");
                assertThat(day.get("net_sales").decimalValue()).isEqualByComparingTo("3.00");
                assertThat(day.get("transactions").asLong()).isEqualTo(1);
                assertThat(day.get("currency").asText()).isEqualTo("USD");
            });
            assertThat(Http.get(system.url(Service.API) + "/api/v1/stores", admin).body().findValuesAsText("code"))
                    .contains(code).doesNotContain(till);
            chromium.open(system.url(Service.API) + "/dashboard/#token=" + admin + "&store=" + code
                    + "&from=2026-11-27&to=2026-11-27");
            assertThat(new BigDecimal(chromium.byTestId("daily-net-" + code + "-2026-11-27", SHOWN_WITHIN)
                    .getAttribute("data-value"))).isEqualByComparingTo("3.00");
        }
        Http.Reply moved = Http.json("PUT", system.url(Service.API) + "/api/v1/admin/stores/" + code,
                "{\"name\": \"Brooklyn\", \"timezone\": \"Europe/Paris\", \"currency\": \"USD\"}", admin);
        assertThat(moved.status()).isEqualTo(409);
        assertThat(moved.body().at("/errors/timezone").asText()).contains("America/New_York");
    }

    @Test
    @Order(10)
    void alertsFiringReachTheApiAViewerSeesItsStoresOnesAndTheWeeklyReportIsMailed() {
        String admin = system.apiTokens().issue("system-test", "admin", List.of(), Duration.ofMinutes(10));
        String api = system.url(Service.API) + "/api/v1";
        String store = PanPanCatalog.STORES.get(0).code();
        String other = PanPanCatalog.STORES.get(1).code();
        String rule = "Everything low at " + store + " (system test)";
        // Every product of the store is under this threshold: its stock counts raise one alert each.
        Http.Reply created = Http.json("POST", api + "/admin/alert-rules", "{\"name\": \"" + rule
                + "\", \"kind\": \"low_stock\", \"store_code\": \"" + store + "\", \"threshold\": 1000000, "
                + "\"channels\": [\"slack\"]}", admin);
        assertThat(created.status()).as("rule: %s", created.body()).isEqualTo(201);
        // A new count of one of its products (the alert-service reacts to a newer level, not to the same one again).
        // alert-service has lived through the database outage of @Order(4): its consumers were held until the database
        // came back, not stopped (they used to stop for good, and no alert fired until a restart).
        var counted = system.outside().inventory().levels().stream().filter(level -> level.location().equals(store))
                .findFirst().orElseThrow();
        var recounted = system.outside().inventory().setLevel(counted.sku(), store, counted.onHand() + 7);
        assertThat(system.outside().inventory().pushWebhook(List.of(recounted))).isBetween(200, 299);

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            Http.Reply firing = Http.get(api + "/alerts/firing", admin);
            assertThat(firing.status()).isEqualTo(200);
            assertThat(firing.body().findValuesAsText("rule")).contains(rule);
        });
        Http.Reply firing = Http.get(api + "/alerts/firing", admin);
        for (var alert : firing.body()) {
            if (alert.get("rule").asText().equals(rule)) {
                assertThat(alert.get("store").asText()).isEqualTo(store);
                assertThat(alert.get("threshold").decimalValue()).isEqualByComparingTo("1000000");
                assertThat(alert.get("subject").asText()).isNotBlank();
            }
        }
        String ownViewer = system.apiTokens().issue("system-test", "viewer", List.of(store), Duration.ofMinutes(5));
        String otherViewer = system.apiTokens().issue("system-test", "viewer", List.of(other), Duration.ofMinutes(5));
        assertThat(Http.get(api + "/alerts/firing", ownViewer).body().findValuesAsText("rule")).contains(rule);
        Http.Reply others = Http.get(api + "/alerts/firing", otherViewer);
        assertThat(others.status()).isEqualTo(200);
        assertThat(others.body().findValuesAsText("store")).doesNotContain(store);
        assertThat(others.body().findValuesAsText("rule")).doesNotContain(rule);

        // The weekly sales report: api-service's first check (2 minutes after start) mails last week's to the owner,
        // once, whichever replica checks.
        await().atMost(Duration.ofMinutes(4)).untilAsserted(() -> assertThat(system.alertOutside().mail().caught())
                .extracting(MailCatcher.Caught::subject).anyMatch(subject -> subject.startsWith("Levain weekly sales report")));
        assertThat(system.alertOutside().mail().caught()).filteredOn(mail -> mail.subject().startsWith("Levain weekly"))
                .hasSize(1).allSatisfy(mail -> assertThat(mail.raw()).contains("levain-weekly-").contains(".xlsx"));
        // Recorded in the transaction that held the run while SMTP took the mail: committed just after it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Http.get(api + "/admin/reports", admin)
                .body().findValuesAsText("recipient")).containsExactly(AlertOutside.MAIL_TO));

        Http.json("DELETE", api + "/admin/alert-rules/" + created.body().get("id").asLong(), null, admin);
    }

    /**
     * One sale through the webhook is one trace: the raw record carries its W3C traceparent, and the log lines of its
     * work in ingest, in the normalizer's batch and in alert-service (the alert it raises) carry its trace id, those
     * of the normalizer and alert-service its store too.
     */
    @Test
    @Order(11)
    void aSaleIsOneTraceFromTheWebhookToTheAlertItRaises() {
        String store = newStore();
        Http.Reply rule = Http.json("POST", system.url(Service.ALERT) + "/api/v1/alerts/rules", """
                {"name": "Busy till %s", "kind": "sales_threshold", "store_code": "%s", "metric": "net_sales",
                 "direction": "above", "threshold": 1, "window_minutes": 60, "channels": ["slack"]}"""
                .formatted(store, store), system.secrets().alertAdminToken());
        assertThat(rule.status()).as("rule: %s", rule.body()).isEqualTo(201);
        assertThat(post(sale(store, "S-TRACE", OffsetDateTime.now().toString(), "3", "1.40")).status()).isEqualTo(202);

        ConsumerRecord<String, byte[]> raw = new KafkaTestClient(system.stack().kafka().bootstrapServers())
                .readAll(Topics.RAW_POS).stream()
                .filter(record -> new String(record.value(), StandardCharsets.UTF_8).contains(store)).findFirst()
                .orElseThrow();
        Header traceparent = raw.headers().lastHeader("traceparent");
        assertThat(traceparent).as("W3C traceparent of the raw record").isNotNull();
        String trace = new String(traceparent.value(), StandardCharsets.UTF_8).split("-")[1];
        assertThat(trace).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(linesOf(Service.INGEST, trace)).as("ingest's lines of trace %s", trace)
                    .anyMatch(line -> line.contains(store + "/S-TRACE") || line.contains("ACCEPTED"));
            // Beside the trace id, the store the work is about (the raw location is all ingest knows of it).
            String storeField = "\"store\":\"" + store + "\"";
            assertThat(linesOf(Service.NORMALIZE, trace)).as("the normalizer's lines of trace %s", trace)
                    .anyMatch(line -> line.contains("Wrote") && line.contains(storeField));
            assertThat(linesOf(Service.ALERT, trace)).as("alert-service's lines of trace %s", trace)
                    .anyMatch(line -> line.contains("pending") && line.contains(storeField));
        });
        // The normalizer's announcement of the sale goes on in the same trace.
        ConsumerRecord<String, byte[]> announced = new KafkaTestClient(system.stack().kafka().bootstrapServers())
                .readAll(Topics.SALES_RECORDED).stream()
                .filter(record -> new String(record.value(), StandardCharsets.UTF_8).contains(store)).findFirst()
                .orElseThrow();
        assertThat(announced.headers().lastHeader("traceparent")).as("traceparent of the announcement").isNotNull();
        assertThat(new String(announced.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                .contains("-" + trace + "-");
    }

    /** The JSON log lines of {@code service} (every replica) whose trace id is {@code trace}. */
    private static List<String> linesOf(Service service, String trace) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(system.log(service), StandardCharsets.UTF_8)) {
            if (line.contains("\"traceId\":\"" + trace + "\"")) {
                lines.add(line);
            }
        }
        return lines;
    }

    /**
     * After everything above (webhooks, CSV, CRM contacts with e-mails and phones, admin calls with tokens, alert
     * e-mails, the report): no service's log line holds a secret of this run, a bearer token or JWT, an e-mail
     * address or a phone number.
     */
    @Test
    @Order(12)
    void theLogsHoldNoSecretTokenEmailOrPhoneNumber() throws Exception {
        Map<String, Pattern> personal = new LinkedHashMap<>();
        personal.put("a JWT", Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"));
        personal.put("a bearer token", Pattern.compile("(?i)bearer\\s+[A-Za-z0-9._~+/-]{8,}"));
        personal.put("an e-mail address", Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"));
        // Not inside ids, UUIDs, versions or instants: nothing word-like or joined by - . : around it.
        personal.put("a phone number", Pattern.compile(
                "(?<![\\w.:-])(\\+\\d{1,3}[ .]?\\d{1,4}([ .]?\\d{2,4}){2,5}|0[1-9]([ .]?\\d{2}){4})(?![\\w.:-])"));
        List<String> secrets = new ArrayList<>();
        for (RecordComponent component : system.secrets().getClass().getRecordComponents()) {
            Object value = component.getAccessor().invoke(system.secrets());
            if (value instanceof String secret && secret.length() >= 8) {
                secrets.add(secret);
            }
        }
        assertThat(secrets).as("the run's webhook secrets and tokens").hasSizeGreaterThanOrEqualTo(5);
        List<String> findings = new ArrayList<>();
        try (var logs = Files.walk(data.resolve("logs"))) {
            for (Path log : logs.filter(Files::isRegularFile).sorted().toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    String where = log.getFileName() + ":" + (i + 1) + " ";
                    secrets.stream().filter(line::contains).forEach(secret -> findings.add(where + "a secret of this run"));
                    personal.forEach((what, pattern) -> {
                        var found = pattern.matcher(line);
                        if (found.find()) {
                            findings.add(where + what + ": " + found.group());
                        }
                    });
                }
            }
        }
        assertThat(findings).as("log lines with a secret or personal data").isEmpty();
        // The logs were read, and they name whom the report went to without the address.
        String ownerMasked = AlertOutside.MAIL_TO.charAt(0) + "***" + AlertOutside.MAIL_TO.substring(AlertOutside.MAIL_TO.indexOf('@'));
        assertThat(Files.readString(system.log(Service.API), StandardCharsets.UTF_8))
                .contains("Sent the weekly sales report").contains(ownerMasked);
    }

    private static void produce(KafkaTestClient kafka, List<PanPanSales.Sale> sales, int perSecond) {
        long begin = System.nanoTime();
        for (int i = 0; i < sales.size(); i++) {
            java.util.concurrent.locks.LockSupport.parkNanos(begin + i * 1_000_000_000L / perSecond - System.nanoTime());
            PanPanSales.Sale sale = sales.get(i);
            kafka.send(Topics.RAW_POS, sale.storeCode() + "/" + sale.saleId(), sale.toJson().getBytes(StandardCharsets.UTF_8),
                    java.util.Map.of("ce_specversion", "1.0", "ce_id", sale.storeCode() + "/" + sale.saleId(),
                            "ce_type", "levain.raw.pos.sale", "ce_source", "levain/pos-native/" + sale.storeCode(),
                            "ce_receivedat", java.time.Instant.now().toString()));
        }
    }

    private static long storedSales(String store) {
        try (Connection db = database(); Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM core.sale s JOIN core.store st ON st.id = s.store_id"
                     + " WHERE st.code = '" + store + "'")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException databaseDown) {
            return -1;
        }
    }

    private static Connection database() throws SQLException {
        return DriverManager.getConnection(system.stack().postgres().jdbcUrl(), PostgresServer.SUPERUSER,
                PostgresServer.PASSWORD);
    }

    private static List<ConsumerRecord<String, byte[]>> rawSales(String store) {
        return new KafkaTestClient(system.stack().kafka().bootstrapServers()).readAll(Topics.RAW_POS).stream()
                .filter(r -> r.key().startsWith(store + "/")).toList();
    }

    private static String csvSale(String store) {
        return "store_code,sale_id,occurred_at,sku,quantity,unit_price\n" + store
                + ",CSV-1,2026-11-26T18:30:00+01:00,BAGUETTE,1,1.30\n";
    }

    private static JsonNode kpiDay(String store, String day) {
        Http.Reply reply = Http.get(system.url(Service.API) + "/api/v1/kpis/sales/daily?store=" + store
                + "&from=" + day + "&to=" + day, system.apiTokens().issue("system-test", "admin", List.of(), Duration.ofMinutes(5)));
        assertThat(reply.status()).isEqualTo(200);
        return reply.body().get("days").get(0);
    }

    private static Http.Reply post(String sale) {
        return Http.postSigned(ingestUrl(), sale, system.secrets().posNative());
    }

    private static String ingestUrl() {
        return system.url(Service.INGEST) + "/api/v1/ingest/pos/sales";
    }

    private static String newStore() {
        return "E2E-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private static String sale(String store, String saleId, String occurredAt, String qty, String price) {
        return """
                {"store_code": "%s", "sale_id": "%s", "occurred_at": "%s",
                 "lines": [{"sku": "CROISSANT", "quantity": %s, "unit_price": %s}]}"""
                .formatted(store, saleId, occurredAt, qty, price);
    }
}
