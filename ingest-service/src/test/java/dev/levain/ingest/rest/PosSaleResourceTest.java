package dev.levain.ingest.rest;

import static dev.levain.ingest.support.Webhooks.postSigned;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.devstack.test.ExposedMetrics;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.Topics;
import dev.levain.events.signature.TimestampedSignature;
import dev.levain.ingest.repository.ReceivedEventRepository;
import dev.levain.ingest.support.Webhooks;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class PosSaleResourceTest {

    private static final String SALES = "/api/v1/ingest/pos/sales";
    private static final String BATCH = "/api/v1/ingest/pos/sales/batch";

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @Inject
    ReceivedEventRepository ledger;

    @Test
    void acceptedSaleIsOnRawPosTopicWithItsExactBytes() {
        String saleId = newSaleId();
        String body = sale("PAR-01", saleId, "2.00");

        String eventId = postSigned(SALES, body)
                .statusCode(202)
                .body("status", equalTo("accepted"))
                .body("event_id", matchesPattern("[0-9a-f]{64}"))
                .extract().path("event_id");

        ConsumerRecord<String, byte[]> record = recordsFor("PAR-01/" + saleId).get(0);
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(header(record, "ce_id")).isEqualTo(eventId);
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "ce_type")).isEqualTo("levain.raw.pos.sale");
        assertThat(header(record, "ce_source")).isEqualTo("levain/pos-native/PAR-01");
        assertThat(header(record, "ce_time")).isEqualTo("2026-11-27T08:15:00+01:00");
        assertThat(header(record, "ce_contenthash")).hasSize(64);
        assertThat(header(record, "ce_receivedat")).isNotBlank();
    }

    @Test
    void sameSaleSentFiveTimesConcurrentlyIsPublishedOnce() {
        String saleId = newSaleId();
        String body = sale("PAR-02", saleId, "3.10");

        CyclicBarrier start = new CyclicBarrier(5);
        ExecutorService senders = Executors.newFixedThreadPool(5);
        List<Integer> statuses;
        try {
            statuses = IntStream.range(0, 5)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        await(start);
                        return postSigned(SALES, body).extract().statusCode();
                    }, senders))
                    .toList().stream().map(CompletableFuture::join).toList();
        } finally {
            senders.shutdownNow();
        }

        assertThat(statuses).containsExactlyInAnyOrder(202, 200, 200, 200, 200);
        assertThat(recordsFor("PAR-02/" + saleId)).hasSize(1);
        postSigned(SALES, body).statusCode(200).body("status", equalTo("duplicate"));
        assertThat(recordsFor("PAR-02/" + saleId)).hasSize(1);
    }

    @Test
    void correctedSaleIsANewEvent() {
        String saleId = newSaleId();
        postSigned(SALES, sale("PAR-02", saleId, "3.10")).statusCode(202);
        postSigned(SALES, sale("PAR-02", saleId, "3.20")).statusCode(202);
        assertThat(recordsFor("PAR-02/" + saleId)).hasSize(2);
    }

    @Test
    void changedSaleUnderAnAcceptedVersionIs409NamingItAndAnIdenticalResendIsADuplicate() {
        String saleId = newSaleId();
        String accepted = versionedSale("PAR-07", saleId, 3, "3.10");
        postSigned(SALES, accepted).statusCode(202);

        // Other lines, same version: not a duplicate to drop, a conflict the POS is told about.
        postSigned(SALES, versionedSale("PAR-07", saleId, 3, "3.20"))
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://levain.dev/problems/version-conflict"))
                .body("status", equalTo(409))
                .body("detail", containsString("sale PAR-07/" + saleId + ", version 3,"))
                .body("errors[0].field", equalTo("version"))
                .body("errors[0].message", equalTo("sale PAR-07/" + saleId + ", version 3, was already accepted with "
                        + "other content; send the change with a higher version"));
        assertThat(recordsFor("PAR-07/" + saleId)).extracting(PosSaleResourceTest::text).containsExactly(accepted);

        // The same sale again, also laid out otherwise (one line, no spaces): the same content, a duplicate.
        postSigned(SALES, accepted).statusCode(200).body("status", equalTo("duplicate"));
        postSigned(SALES, accepted.replace("\n", "").replace(": ", ":")).statusCode(200)
                .body("status", equalTo("duplicate"));
        // The change under a higher version is taken.
        postSigned(SALES, versionedSale("PAR-07", saleId, 4, "3.20")).statusCode(202);
        assertThat(recordsFor("PAR-07/" + saleId)).hasSize(2);
    }

    @Test
    void batchRefusesTheSaleThatChangesAnAcceptedVersionAndTakesTheOthers() {
        String changedId = newSaleId();
        String accepted = versionedSale("PAR-08", changedId, 1, "1.00");
        postSigned(SALES, accepted).statusCode(202);
        String changed = versionedSale("PAR-08", changedId, 1, "9.00");
        String other = versionedSale("PAR-08", newSaleId(), 1, "2.00");

        postSigned(BATCH, "{\"sales\": [" + changed + ", " + other + ", " + accepted + "]}")
                .statusCode(202)
                .body("accepted", equalTo(1))
                .body("duplicates", equalTo(1))
                .body("rejected", equalTo(1))
                .body("results.status", contains("rejected", "accepted", "duplicate"))
                .body("results[0].errors.field", contains("sales[0].version"))
                .body("results[0].errors[0].message", startsWith("sale PAR-08/" + changedId + ", version 1, was already "
                        + "accepted with other content"));
        // A batch with nothing else to take is refused whole.
        postSigned(BATCH, "{\"sales\": [" + changed + "]}")
                .statusCode(409)
                .contentType("application/problem+json")
                .body("errors.field", contains("sales[0].version"));

        assertThat(recordsFor("PAR-08/" + changedId)).extracting(PosSaleResourceTest::text).containsExactly(accepted);
        assertThat(kafka.readAll(Topics.RAW_POS).stream().map(PosSaleResourceTest::text)).contains(other);
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString()).containsPattern(
                "levain_ingest_events_total\\{connector=\"pos-native\",outcome=\"rejected\",reason=\"conflict\"} [2-9]");
    }

    @Test
    void unsignedForgedStaleAndFutureWebhooksAre401AndNothingIsPublished() {
        String saleId = newSaleId();
        String body = sale("PAR-03", saleId, "1.00");

        given().contentType("application/json").body(body).when().post(SALES)
                .then().statusCode(401).contentType("application/problem+json")
                .body("detail", equalTo("Missing Levain-Signature header"));
        postSigned(SALES, body, "not-the-secret", Instant.now()).statusCode(401)
                .body("detail", equalTo("Signature does not match the body"));
        postSigned(SALES, body, Webhooks.POS_SECRET, Instant.now().minusSeconds(400)).statusCode(401)
                .body("detail", containsString("away from now"));
        postSigned(SALES, body, Webhooks.POS_SECRET, Instant.now().plusSeconds(400)).statusCode(401)
                .body("detail", containsString("away from now"));
        given().contentType("application/json").header(TimestampedSignature.HEADER, "sha256=abc").body(body)
                .when().post(SALES).then().statusCode(401);
        // A signature over other bytes does not cover this body.
        String signedOther = TimestampedSignature.sign(Webhooks.POS_SECRET, Instant.now(),
                sale("PAR-03", saleId, "0.01").getBytes(StandardCharsets.UTF_8));
        given().contentType("application/json").header(TimestampedSignature.HEADER, signedOther).body(body)
                .when().post(SALES).then().statusCode(401);

        assertThat(recordsFor("PAR-03/" + saleId)).isEmpty();
    }

    @Test
    void secretBeingRotatedInIsAcceptedAlongsideTheOldOne() {
        postSigned(SALES, sale("PAR-03", newSaleId(), "1.00"), "test-pos-secret-new", Instant.now()).statusCode(202);
    }

    @Test
    void wrongTypeIsRefusedNamingTheFieldAndNothingIsPublished() {
        String saleId = newSaleId();
        String body = sale("PAR-01", saleId, "2.00").replace("\"quantity\": 2", "\"quantity\": \"two\"");

        postSigned(SALES, body)
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem("lines[0].quantity"))
                .body("errors.message", hasItem("cannot be read as a number: two"));

        assertThat(recordsFor("PAR-01/" + saleId)).isEmpty();
    }

    @Test
    void missingAndInvalidFieldsAreEachNamed() {
        String body = """
                {"sale_id": "S-1", "occurred_at": "2026-11-27T08:15:00+01:00", "customer_email": "not-an-email",
                 "lines": [{"sku": "BAG-01", "quantity": 0, "unit_price": "-1"}]}""";

        postSigned(SALES, body)
                .statusCode(400)
                .body("errors.field", containsInAnyOrder(
                        "store_code", "customer_email", "lines[0].quantity", "lines[0].unit_price"));
    }

    @Test
    void timeWithoutOffsetIsRefused() {
        String body = sale("PAR-01", newSaleId(), "1.00").replace("2026-11-27T08:15:00+01:00", "2026-11-27T08:15:00");
        postSigned(SALES, body).statusCode(400).body("errors[0].field", equalTo("occurred_at"));
    }

    @Test
    void malformedJsonIsRefused() {
        postSigned(SALES, "{\"store_code\": \"PAR-01\",")
                .statusCode(400)
                .body("errors[0].field", equalTo("body"))
                .body("errors[0].message", startsWith("is not valid JSON"));
    }

    @Test
    void saleCutOffInsideItsLinesIsRefusedAsInvalidJsonWithLineAndColumn() {
        String saleId = newSaleId();
        String whole = sale("PAR-01", saleId, "2.00");
        // Cut in the middle of lines[0], as a proxy or a crashed till would; Jackson calls that an error of lines[0].
        String cut = whole.substring(0, whole.indexOf("\"quantity\""));

        postSigned(SALES, cut)
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://levain.dev/problems/invalid-input"))
                .body("errors", hasSize(1))
                .body("errors[0].field", equalTo("body"))
                .body("errors[0].message", matchesPattern("is not valid JSON \\(line 3, column [0-9]+\\)"))
                .body(not(containsString("end-of-input")));

        assertThat(recordsFor("PAR-01/" + saleId)).isEmpty();
    }

    @Test
    void bodyOfAnotherMediaTypeIs415ProblemJson() {
        given().contentType("text/plain").body("store_code=PAR-01").when().post(SALES)
                .then().statusCode(415)
                .contentType("application/problem+json")
                .body("status", equalTo(415))
                .body("title", equalTo("Unsupported media type"))
                .body("detail", containsString("text/plain"));
    }

    @Test
    void bodyDeclaredLargerThanTheHttpLimitIs413ProblemJson() throws IOException {
        // 17 MiB declared, over the %test HTTP limit (16M): refused before any endpoint runs, the body unread.
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST " + SALES + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + (17 * 1024 * 1024) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 413 ")
                    .containsIgnoringCase("content-type: application/problem+json")
                    .contains("\"status\":413")
                    .contains("\"title\":\"Payload too large\"");
        }
    }

    @Test
    void longDottedEmailIsRefusedWithItsReasonAtOnce() {
        // "x@a.a.a…a " made the former e-mail pattern backtrack quadratically: about 30 s for this 200 KB one.
        String email = "x@" + "a.".repeat(100_000) + " ";
        String body = sale("PAR-01", newSaleId(), "1.00").replace("Marie@Example.com", email);

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> postSigned(SALES, body)
                .statusCode(400)
                .body("errors.field", contains("customer_email"))
                .body("errors[0].message", equalTo("must be at most 254 characters")));
    }

    @Test
    void bodyOverTheLimitIs413() {
        String huge = sale("PAR-01", newSaleId(), "1.00").replace("\"lines\"",
                "\"note\": \"" + "x".repeat(600_000) + "\", \"lines\"");
        postSigned(SALES, huge).statusCode(413);
    }

    @Test
    void batchPublishesEachGoodSaleWithItsOwnBytesAndReportsTheBadOne() {
        String first = sale("PAR-04", newSaleId(), "1.00");
        String badId = newSaleId();
        String bad = sale("PAR-04", badId, "1.00").replace("\"quantity\": 2", "\"quantity\": -2");
        String third = sale("PAR-04", newSaleId(), "4.50");
        String body = "{\"sales\": [" + first + ",\n " + bad + ", " + third + "]}";

        postSigned(BATCH, body)
                .statusCode(202)
                .body("accepted", equalTo(2))
                .body("rejected", equalTo(1))
                .body("results.status", org.hamcrest.Matchers.contains("accepted", "rejected", "accepted"))
                .body("results[1].errors.field", hasItem("sales[1].lines[0].quantity"));

        List<String> published = kafka.readAll(Topics.RAW_POS).stream()
                .filter(r -> r.key().startsWith("PAR-04/"))
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        assertThat(published).contains(first, third).doesNotContain(bad);
        assertThat(recordsFor("PAR-04/" + badId)).isEmpty();

        // The same sales sent alone later are the same events.
        postSigned(SALES, first).statusCode(200).body("status", equalTo("duplicate"));
    }

    @Test
    void batchWithNoValidSaleIs400AndTooLargeBatchIsRefused() {
        String bad = sale("PAR-04", newSaleId(), "1.00").replace("\"sku\": \"CROISSANT\", ", "");
        postSigned(BATCH, "{\"sales\": [" + bad + "]}")
                .statusCode(400)
                .body("errors.field", hasItem("sales[0].lines[0].sku"));

        String many = String.join(",", IntStream.range(0, 51).mapToObj(i -> sale("PAR-04", newSaleId(), "1.00")).toList());
        postSigned(BATCH, "{\"sales\": [" + many + "]}")
                .statusCode(400)
                .body("errors[0].message", equalTo("holds 51 sales; at most 50 per batch"));
        postSigned(BATCH, "[" + bad + "]").statusCode(400).body("errors[0].field", equalTo("body"));
    }

    @Test
    void metricsCountOutcomesPerConnectorAndTheApiIsDescribed() {
        given().contentType("application/json").body(sale("PAR-05", newSaleId(), "1.00")).post(SALES)
                .then().statusCode(401);
        postSigned(SALES, sale("PAR-05", newSaleId(), "1.00")).statusCode(202);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern("levain_ingest_events_total\\{connector=\"pos-native\",outcome=\"rejected\",reason=\"signature\"} [1-9]")
                .containsPattern("levain_ingest_events_total\\{connector=\"pos-native\",outcome=\"accepted\",reason=\"none\"} [1-9]")
                .contains("levain_ingest_publish_latency_seconds_count{connector=\"pos-native\"");
        assertThat(ExposedMetrics.mismatches(metrics)).as("exposed-metrics.txt, which deploy's rules use").isEmpty();
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("/api/v1/ingest/pos/sales/batch"));
    }

    @Test
    void healthIsUpWithTheBrokerAndTheDatabase() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'Dedupe ledger' }.data.ledger", equalTo("available"));
    }

    @Test
    void saleSentAgainAfterItsIdWasForgottenIsPublishedAgain() {
        String saleId = newSaleId();
        String body = sale("PAR-06", saleId, "1.00");
        postSigned(SALES, body).statusCode(202);

        // What the hourly retention does once the dedupe window has passed.
        ledger.forgetBefore(Instant.now().plusSeconds(1));

        postSigned(SALES, body).statusCode(202).body("status", equalTo("accepted"));
        assertThat(recordsFor("PAR-06/" + saleId)).hasSize(2);
    }

    @Test
    void emptyBatchIsRefused() {
        postSigned(BATCH, "{\"sales\": []}").statusCode(400).body("errors[0].field", equalTo("sales"));
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException | BrokenBarrierException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<ConsumerRecord<String, byte[]>> recordsFor(String key) {
        return kafka.readAll(Topics.RAW_POS).stream().filter(r -> key.equals(r.key())).toList();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String text(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    private static String newSaleId() {
        return "S-" + UUID.randomUUID();
    }

    static String sale(String store, String saleId, String unitPrice) {
        return """
                {"store_code": "%s", "sale_id": "%s", "occurred_at": "2026-11-27T08:15:00+01:00",
                 "currency": "EUR", "customer_email": "Marie@Example.com",
                 "lines": [{"sku": "CROISSANT", "name": "Croissant", "quantity": 2, "unit_price": %s}]}"""
                .formatted(store, saleId, unitPrice);
    }

    private static String versionedSale(String store, String saleId, long version, String unitPrice) {
        return sale(store, saleId, unitPrice).replace("\"currency\"", "\"version\": " + version + ", \"currency\"");
    }
}
