package dev.levain.ingest.rest;

import static dev.levain.ingest.support.SquareWebhooks.post;
import static dev.levain.ingest.support.SquareWebhooks.postSigned;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.levain.devstack.simulator.square.SquareSimulator;
import dev.levain.devstack.simulator.square.SquareWebhook;
import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.EventTypes;
import dev.levain.events.Topics;
import dev.levain.events.signature.SquareSignature;
import dev.levain.ingest.support.InjectSquareSimulator;
import dev.levain.ingest.support.SquareSimulatorTestResource;
import dev.levain.ingest.support.SquareWebhooks;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SquareSimulatorTestResource.class, scope = TestResourceScope.GLOBAL)
class SquareWebhookResourceTest {

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @InjectSquareSimulator
    SquareSimulator square;

    @TestHTTPResource(SquareWebhooks.PATH)
    URL webhookUrl;

    @BeforeEach
    void squareDeliversToThisApplication() {
        // Square signs the registered (public) URL and delivers through a proxy to wherever the app listens.
        square.deliverTo(webhookUrl.toString());
        square.healOrdersApi();
        square.dropNextWebhooks(0);
    }

    @Test
    void signedOrderWebhookPublishesTheNotificationAndTheFullFetchedOrder() throws Exception {
        SquareSimulator.Sale sale = square.sell();
        SquareWebhook orderCreated = sale.webhooks().get(0);
        assertThat(orderCreated.type()).isEqualTo("order.created");
        assertThat(square.lastStatus(orderCreated.eventId())).contains(202);

        String key = sale.locationId() + "/" + sale.orderId();
        ConsumerRecord<String, byte[]> notification = notification(orderCreated.eventId());
        assertThat(notification.key()).isEqualTo(key);
        assertThat(notification.value()).isEqualTo(orderCreated.body());
        assertThat(header(notification, "ce_type")).isEqualTo(EventTypes.RAW_POS_SQUARE_NOTIFICATION);
        assertThat(header(notification, "ce_source")).isEqualTo("levain/pos-square/" + sale.locationId());
        assertThat(header(notification, "ce_contenthash")).hasSize(64);
        String createdAt = dev.levain.events.Json.mapper().readTree(orderCreated.body()).get("created_at").asText();
        assertThat(OffsetDateTime.parse(header(notification, "ce_time")).toInstant()).isEqualTo(Instant.parse(createdAt));

        List<ConsumerRecord<String, byte[]>> orders = orders(key);
        assertThat(orders).hasSize(1);
        ConsumerRecord<String, byte[]> order = orders.get(0);
        // The order exactly as Square's Orders API served it: money in cents, nothing re-serialized.
        assertThat(new String(order.value(), StandardCharsets.UTF_8)).isEqualTo(square.orderJson(sale.orderId()))
                .contains("\"base_price_money\":{\"amount\":");
        assertThat(header(order, "ce_id")).matches("[0-9a-f]{64}");
        assertThat(header(order, "ce_source")).isEqualTo("levain/pos-square/" + sale.locationId());
        assertThat(header(order, "ce_specversion")).isEqualTo("1.0");
        // The payment webhook of the same sale found the same order version: still one order record.
        assertThat(square.lastStatus(sale.webhooks().get(1).eventId())).contains(202);
        assertThat(notification(sale.webhooks().get(1).eventId()).key()).isEqualTo(key);
    }

    @Test
    void paymentWebhookAloneFetchesItsOrder() {
        square.dropNextWebhooks(1);
        SquareSimulator.Sale sale = square.sell();
        SquareWebhook payment = sale.webhooks().get(1);
        assertThat(payment.type()).isEqualTo("payment.created");

        assertThat(square.lastStatus(payment.eventId())).contains(202);
        String key = sale.locationId() + "/" + sale.orderId();
        assertThat(orders(key)).singleElement()
                .satisfies(o -> assertThat(o.value()).isEqualTo(square.orderJson(sale.orderId()).getBytes(StandardCharsets.UTF_8)));
        assertThat(notifications(key)).extracting(r -> header(r, "ce_id")).containsExactly(payment.eventId());
    }

    @Test
    void badMissingOrOtherUrlSignaturesAre401AndNothingIsPublished() {
        square.dropNextWebhooks(2);
        SquareSimulator.Sale sale = square.sell();
        byte[] body = sale.webhooks().get(0).body();

        post(body, null).statusCode(401).contentType("application/problem+json")
                .body("detail", equalTo("Missing x-square-hmacsha256-signature header"));
        post(body, SquareSignature.sign("not-the-key", SquareWebhooks.NOTIFICATION_URL, body)).statusCode(401)
                .body("detail", equalTo("Signature does not match the notification URL and body"));
        post(body, SquareSignature.sign(SquareWebhooks.SIGNATURE_KEY, "https://elsewhere.example/hook", body))
                .statusCode(401);
        post(body, "not base64 !").statusCode(401);
        // A valid signature of other bytes does not cover this body.
        post(body, sale.webhooks().get(1).signature()).statusCode(401);

        String key = sale.locationId() + "/" + sale.orderId();
        assertThat(kafka.readAll(Topics.RAW_POS)).noneMatch(r -> key.equals(r.key()));
    }

    @Test
    void malformedJsonAndMissingFieldsAre400NamingTheField() {
        postSigned("{\"event_id\": \"e-1\",").statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("body"));
        postSigned("""
                {"merchant_id": "M1", "type": "order.created", "created_at": "2026-11-27T07:15:00Z",
                 "data": {"type": "order", "id": "O-1", "object": {"order_created": {"location_id": "L1"}}}}""")
                .statusCode(400).body("errors[0].field", equalTo("event_id"))
                .body("errors[0].message", equalTo("is required"));
        postSigned("""
                {"merchant_id": "M1", "event_id": "%s", "created_at": "2026-11-27T07:15:00Z"}""".formatted(UUID.randomUUID()))
                .statusCode(400).body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("type", "data"));
    }

    @Test
    void sameWebhookFiveTimesConcurrentlyIsPublishedOnceWithItsOrderOnce() {
        square.dropNextWebhooks(2);
        SquareSimulator.Sale sale = square.sell();
        SquareWebhook webhook = sale.webhooks().get(0);

        List<Integer> statuses = IntStream.range(0, 5)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> post(webhook).extract().statusCode()))
                .toList().stream().map(CompletableFuture::join).toList();

        assertThat(statuses).containsExactlyInAnyOrder(202, 200, 200, 200, 200);
        assertThat(square.resend(webhook.eventId())).isEqualTo(200);
        post(webhook).statusCode(200).body("status", equalTo("duplicate"));
        String key = sale.locationId() + "/" + sale.orderId();
        assertThat(notifications(key)).hasSize(1);
        assertThat(orders(key)).hasSize(1);
    }

    @Test
    void failingOrdersApiIs503AndSquaresRetryAfterRecoverySucceeds() {
        square.failOrdersApi(500);
        SquareSimulator.Sale sale = square.sell();
        SquareWebhook webhook = sale.webhooks().get(0);
        assertThat(square.lastStatus(webhook.eventId())).contains(503);
        post(webhook).statusCode(503).contentType("application/problem+json")
                .header("Retry-After", notNullValue());
        String key = sale.locationId() + "/" + sale.orderId();
        assertThat(kafka.readAll(Topics.RAW_POS)).noneMatch(r -> key.equals(r.key()));

        square.healOrdersApi();

        await().atMost(Duration.ofSeconds(60))
                .until(() -> sale.webhooks().stream().allMatch(w -> square.delivered(w.eventId())));
        assertThat(notifications(key)).hasSize(2);
        assertThat(orders(key)).hasSize(1);
    }

    @Test
    void redeliveryOfAnAcceptedNotificationIsADuplicateWithoutAskingSquaresOrdersApi() {
        square.dropNextWebhooks(2);
        SquareSimulator.Sale sale = square.sell();
        SquareWebhook webhook = sale.webhooks().get(0);
        post(webhook).statusCode(202).body("status", equalTo("accepted"));
        int reads = square.orderReads(sale.orderId());
        assertThat(reads).isEqualTo(1);

        square.failOrdersApi(500);
        post(webhook).statusCode(200).body("status", equalTo("duplicate")).body("event_id", equalTo(webhook.eventId()));
        assertThat(square.resend(webhook.eventId())).isEqualTo(200);

        assertThat(square.orderReads(sale.orderId())).isEqualTo(reads);
        String key = sale.locationId() + "/" + sale.orderId();
        assertThat(notifications(key)).hasSize(1);
        assertThat(orders(key)).hasSize(1);
    }

    @Test
    void slowOrdersApiIs503AndSquaresRetryAfterRecoverySucceeds() {
        square.slowOrdersApi(Duration.ofSeconds(3));
        SquareSimulator.Sale sale = square.sell();
        assertThat(square.lastStatus(sale.webhooks().get(0).eventId())).contains(503);
        String key = sale.locationId() + "/" + sale.orderId();
        assertThat(kafka.readAll(Topics.RAW_POS)).noneMatch(r -> key.equals(r.key()));

        square.healOrdersApi();

        await().atMost(Duration.ofSeconds(60))
                .until(() -> sale.webhooks().stream().allMatch(w -> square.delivered(w.eventId())));
        assertThat(notifications(key)).hasSize(2);
        assertThat(orders(key)).hasSize(1);
    }

    @Test
    void inventoryAndCustomerNotificationsGoToTheirTopicsAndOtherTypesAreIgnored() {
        String inventoryId = UUID.randomUUID().toString();
        String inventory = """
                {"merchant_id": "%s", "type": "inventory.count.updated", "event_id": "%s",
                 "created_at": "2026-11-27T06:05:00.123Z", "data": {"type": "inventory", "id": "%s",
                 "object": {"inventory_counts": [{"catalog_object_id": "CROISSANT", "location_id": "L1BASTILLE",
                 "quantity": "42", "state": "IN_STOCK", "calculated_at": "2026-11-27T06:04:59.000Z"}]}}}"""
                .formatted(SquareSimulator.MERCHANT_ID, inventoryId, UUID.randomUUID());
        postSigned(inventory).statusCode(202).body("status", equalTo("accepted"));
        assertThat(kafka.readAll(Topics.RAW_INVENTORY)).filteredOn(r -> inventoryId.equals(header(r, "ce_id")))
                .singleElement().satisfies(r -> {
                    assertThat(r.key()).isEqualTo("L1BASTILLE/CROISSANT");
                    assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo(inventory);
                });

        String customerEvent = UUID.randomUUID().toString();
        String customer = """
                {"merchant_id": "%s", "type": "customer.created", "event_id": "%s",
                 "created_at": "2026-11-27T06:05:00Z", "data": {"type": "customer", "id": "SQC0007",
                 "object": {"customer": {"id": "SQC0007", "email_address": "client7@panpan.example"}}}}"""
                .formatted(SquareSimulator.MERCHANT_ID, customerEvent);
        postSigned(customer).statusCode(202);
        assertThat(kafka.readAll(Topics.RAW_CRM)).filteredOn(r -> customerEvent.equals(header(r, "ce_id")))
                .singleElement().satisfies(r -> {
                    assertThat(r.key()).isEqualTo("SQC0007");
                    assertThat(header(r, "ce_source")).isEqualTo("levain/pos-square/" + SquareSimulator.MERCHANT_ID);
                });

        String ignored = UUID.randomUUID().toString();
        postSigned("""
                {"merchant_id": "M1", "type": "catalog.version.updated", "event_id": "%s",
                 "created_at": "2026-11-27T06:05:00Z", "data": {"type": "catalog", "id": ""}}""".formatted(ignored))
                .statusCode(200).body("status", equalTo("ignored"));
        assertThat(kafka.readAll(Topics.RAW_POS)).noneMatch(r -> ignored.equals(header(r, "ce_id")));
    }

    @Test
    void notificationRedeliveredWithOtherContentIsKeptAsACorrectionAndAnIdenticalOneIsADuplicate() {
        String eventId = UUID.randomUUID().toString();
        String customerId = "SQC-" + UUID.randomUUID();
        String customer = """
                {"merchant_id": "%s", "type": "customer.updated", "event_id": "%s",
                 "created_at": "2026-11-27T06:05:00Z", "data": {"type": "customer", "id": "%s",
                 "object": {"customer": {"id": "%s", "email_address": "%s",
                 "updated_at": "2026-11-27T06:04:00Z"}}}}""";
        String first = customer.formatted(SquareSimulator.MERCHANT_ID, eventId, customerId, customerId,
                "client8@panpan.example");
        String changed = customer.formatted(SquareSimulator.MERCHANT_ID, eventId, customerId, customerId,
                "client8.new@panpan.example");
        postSigned(first).statusCode(202);

        // Square cannot be asked for another version: the changed copy is published, under an id of its own.
        postSigned(changed).statusCode(202).body("status", equalTo("accepted"));
        postSigned(changed).statusCode(200).body("status", equalTo("duplicate"));
        postSigned(first).statusCode(200).body("status", equalTo("duplicate"));

        List<ConsumerRecord<String, byte[]>> published = kafka.readAll(Topics.RAW_CRM).stream()
                .filter(r -> customerId.equals(r.key())).toList();
        assertThat(published).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly(first, changed);
        assertThat(header(published.get(0), "ce_id")).isEqualTo(eventId);
        assertThat(header(published.get(1), "ce_id")).isNotEqualTo(eventId);
        assertThat(Instant.parse(header(published.get(1), "ce_receivedat")))
                .isAfter(Instant.parse(header(published.get(0), "ce_receivedat")));
    }

    @Test
    void metricsShowEachOutcome() {
        square.sell();
        postSigned("{").statusCode(400);
        post("{}".getBytes(StandardCharsets.UTF_8), "bad").statusCode(401);
        postSigned("""
                {"merchant_id": "M1", "type": "team_member.created", "event_id": "%s",
                 "created_at": "2026-11-27T06:05:00Z", "data": {"type": "team_member"}}""".formatted(UUID.randomUUID()))
                .statusCode(200);
        square.dropNextWebhooks(2);
        SquareSimulator.Sale unavailable = square.sell();
        square.failOrdersApi(503);
        post(unavailable.webhooks().get(0)).statusCode(503);
        square.healOrdersApi();

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern(outcome("accepted", "none"))
                .containsPattern(outcome("rejected", "signature"))
                .containsPattern(outcome("rejected", "invalid"))
                .containsPattern(outcome("ignored", "unsupported-type"))
                .containsPattern(outcome("unavailable", "upstream"));
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString(SquareWebhooks.PATH));
    }

    private static String outcome(String outcome, String reason) {
        return "levain_ingest_events_total\\{connector=\"pos-square\",outcome=\"" + outcome + "\",reason=\"" + reason
                + "\"} [1-9]";
    }

    private ConsumerRecord<String, byte[]> notification(String eventId) {
        return kafka.readAll(Topics.RAW_POS).stream().filter(r -> eventId.equals(header(r, "ce_id"))).findFirst()
                .orElseThrow(() -> new AssertionError("No record with ce_id " + eventId));
    }

    private List<ConsumerRecord<String, byte[]>> notifications(String key) {
        return ofType(key, EventTypes.RAW_POS_SQUARE_NOTIFICATION);
    }

    private List<ConsumerRecord<String, byte[]>> orders(String key) {
        return ofType(key, EventTypes.RAW_POS_SQUARE_ORDER);
    }

    private List<ConsumerRecord<String, byte[]>> ofType(String key, String type) {
        return kafka.readAll(Topics.RAW_POS).stream()
                .filter(r -> key.equals(r.key()) && type.equals(header(r, "ce_type"))).toList();
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
