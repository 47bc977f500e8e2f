package dev.levain.ingest.rest;

import static dev.levain.ingest.support.Webhooks.postSigned;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import dev.levain.devstack.simulator.inventory.InventorySimulator;
import dev.levain.devstack.simulator.inventory.InventorySimulator.Level;
import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.Topics;
import dev.levain.events.signature.TimestampedSignature;
import dev.levain.ingest.support.InventorySimulatorTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = InventorySimulatorTestResource.class, scope = TestResourceScope.GLOBAL)
class InventoryWebhookResourceTest {

    private static final String WEBHOOKS = "/api/v1/ingest/inventory/webhooks";
    private static final String SECRET = InventorySimulatorTestResource.WEBHOOK_SECRET;

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @InventorySimulatorTestResource.Simulator
    InventorySimulator simulator;

    @TestHTTPResource(WEBHOOKS)
    URL endpoint;

    @Test
    void signedChangePushedByTheInventorySystemIsPublished() {
        Level level = newLevel("PAR-BASTILLE", 4);

        assertThat(simulator.pushWebhook(endpoint.toString(), List.of(level))).isEqualTo(202);

        ConsumerRecord<String, byte[]> record = recordsFor(level.key()).get(0);
        assertThat(text(record)).isEqualTo(level.toJson());
        assertThat(header(record, "ce_type")).isEqualTo("levain.raw.inventory.level");
        assertThat(header(record, "ce_source")).isEqualTo("levain/inventory/PAR-BASTILLE");
        assertThat(header(record, "ce_datacontenttype")).isEqualTo("application/json");
        assertThat(OffsetDateTime.parse(header(record, "ce_time"))).isEqualTo(level.updatedAt());
    }

    @Test
    void oneLevelAloneIsAcceptedAndItsRedeliveryIsADuplicate() {
        Level level = newLevel("PAR-MONTMARTRE", 9);

        post(level.toJson()).statusCode(202)
                .body("accepted", equalTo(1))
                .body("results[0].key", equalTo(level.key()))
                .body("results[0].status", equalTo("accepted"));
        post(level.toJson()).statusCode(200).body("results[0].status", equalTo("duplicate"));
        assertThat(recordsFor(level.key())).hasSize(1);
    }

    @Test
    void sameChangeSentFiveTimesConcurrentlyIsPublishedOnce() {
        Level level = newLevel("PAR-DELIVERY", 2);
        String body = batch(level);

        List<Integer> statuses = IntStream.range(0, 5)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> post(body).extract().statusCode()))
                .toList().stream().map(CompletableFuture::join).toList();

        assertThat(statuses).containsExactlyInAnyOrder(202, 200, 200, 200, 200);
        assertThat(recordsFor(level.key())).hasSize(1);
    }

    @Test
    void levelPushedAndPulledIsOneEvent() {
        Level changed = simulator.setLevel("QUICHE", "PAR-MONTMARTRE", 1);

        int status = simulator.pushWebhook(endpoint.toString(), List.of(changed));
        given().auth().oauth2("test-upload-token").post("/api/v1/ingest/pulls/inventory-levels/run").then().statusCode(200);

        // The pull and the webhook may come in either order; the version is published once.
        assertThat(status).isIn(200, 202);
        assertThat(recordsFor(changed.key())).filteredOn(r -> text(r).equals(changed.toJson())).hasSize(1);
    }

    @Test
    void changedCountUnderAnAcceptedUpdatedAtIs409NamingItAndTheOtherLevelsAreTaken() {
        Level counted = newLevel("PAR-BASTILLE", 5);
        post(counted.toJson()).statusCode(202);
        Level recounted = new Level(counted.sku(), counted.location(), 6, counted.updatedAt());

        post(recounted.toJson())
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://levain.dev/problems/version-conflict"))
                .body("errors[0].field", equalTo("stock_levels[0].updated_at"))
                .body("errors[0].message", startsWith("stock level of " + counted.sku() + " at PAR-BASTILLE, updated_at "))
                .body("errors[0].message", containsString("send the change with a later updated_at"));
        Level other = newLevel("PAR-BASTILLE", 7);
        post("{\"stock_levels\": [" + recounted.toJson() + ", " + other.toJson() + "]}")
                .statusCode(202)
                .body("results.status", contains("rejected", "accepted"))
                .body("results[0].key", equalTo(counted.key()))
                .body("results[0].errors.field", contains("stock_levels[0].updated_at"));

        assertThat(recordsFor(counted.key())).extracting(InventoryWebhookResourceTest::text)
                .containsExactly(counted.toJson());
        assertThat(recordsFor(other.key())).hasSize(1);
        // The same count again, in a batch this time: a duplicate.
        post(batch(counted)).statusCode(200).body("results[0].status", equalTo("duplicate"));
    }

    @Test
    void batchPublishesEachGoodLevelAndNamesTheBadOne() {
        Level first = newLevel("PAR-BASTILLE", 10);
        Level third = newLevel("PAR-BASTILLE", 11);
        String bad = newLevel("PAR-BASTILLE", 12).toJson().replace("\"on_hand\":12", "\"on_hand\":\"twelve\"");
        String body = "{\"stock_levels\": [" + first.toJson() + ",\n " + bad + ", " + third.toJson() + "]}";

        post(body).statusCode(202)
                .body("accepted", equalTo(2))
                .body("rejected", equalTo(1))
                .body("results.status", contains("accepted", "rejected", "accepted"))
                .body("results[1].errors.field", contains("stock_levels[1].on_hand"))
                .body("results[1].errors.message", contains("must be a number"));

        assertThat(text(recordsFor(first.key()).get(0))).isEqualTo(first.toJson());
        assertThat(text(recordsFor(third.key()).get(0))).isEqualTo(third.toJson());
    }

    @Test
    void invalidLevelIs400NamingEachFieldAndNothingIsPublished() {
        String sku = "TEST-" + UUID.randomUUID();
        String body = "{\"sku\": \"" + sku + "\", \"location\": \"\", \"on_hand\": \"ten\"}";

        post(body).statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", containsInAnyOrder("location", "on_hand", "updated_at"))
                .body("errors.message", hasItem("must be a number"))
                .body("errors.message", hasItem("is required"));
        post("{\"location\": \"PAR-BASTILLE\", \"on_hand\": 1, \"updated_at\": \"yesterday\"}").statusCode(400)
                .body("errors.field", containsInAnyOrder("sku", "updated_at"));
        post("{\"stock_levels\": [{\"sku\": \"" + sku + "\",").statusCode(400)
                .body("errors[0].field", equalTo("body"))
                .body("errors[0].message", startsWith("is not valid JSON"));
        post("{\"stock_levels\": {}}").statusCode(400).body("errors[0].field", equalTo("stock_levels"));

        assertThat(kafka.readAll(Topics.RAW_INVENTORY)).noneMatch(r -> r.key().startsWith(sku));
    }

    @Test
    void skuOrLocationThatCannotBeAKeyIsNamedAndTheGoodLevelsArePublished() {
        Level good = newLevel("PAR-BASTILLE", 7);
        Level badLocation = newLevel("Store 1", 3);
        Level badSku = new Level("PAIN AU CHOCOLAT", "PAR-BASTILLE", 2, OffsetDateTime.now(ZoneOffset.UTC));

        post(badLocation.toJson()).statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", contains("location"))
                .body("errors[0].message", startsWith("must be 1 to 64 letters, digits"));
        post("{\"stock_levels\": [" + good.toJson() + ", " + badSku.toJson() + "]}").statusCode(202)
                .body("accepted", equalTo(1))
                .body("rejected", equalTo(1))
                .body("results[1].errors.field", contains("stock_levels[1].sku"));

        assertThat(text(recordsFor(good.key()).get(0))).isEqualTo(good.toJson());
        assertThat(recordsFor(badLocation.key())).isEmpty();
        assertThat(recordsFor(badSku.key())).isEmpty();
    }

    @Test
    void bodyOverTheWebhookLimitIs413AndNothingIsPublished() {
        Level level = newLevel("PAR-BASTILLE", 8);
        // levain.ingest.max-webhook-body-size is 1M; the %test profile keeps it.
        String huge = "{\"note\": \"" + "x".repeat(1_100_000) + "\", \"stock_levels\": [" + level.toJson() + "]}";

        post(huge).statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413))
                .body("title", equalTo("Payload too large"));

        assertThat(recordsFor(level.key())).isEmpty();
    }

    @Test
    void unsignedForgedAndStaleWebhooksAre401AndNothingIsPublished() {
        Level level = newLevel("PAR-BASTILLE", 5);
        String body = batch(level);

        given().contentType("application/json").body(body).when().post(WEBHOOKS)
                .then().statusCode(401).contentType("application/problem+json")
                .body("detail", equalTo("Missing Levain-Signature header"));
        postSigned(WEBHOOKS, body, "not-the-secret", Instant.now()).statusCode(401)
                .body("detail", equalTo("Signature does not match the body"));
        // The POS secret is not the inventory one.
        postSigned(WEBHOOKS, body, "test-pos-secret", Instant.now()).statusCode(401);
        postSigned(WEBHOOKS, body, SECRET, Instant.now().minusSeconds(400)).statusCode(401)
                .body("detail", containsString("away from now"));
        String signedOther = TimestampedSignature.sign(SECRET, Instant.now(),
                batch(newLevel("PAR-BASTILLE", 6)).getBytes(StandardCharsets.UTF_8));
        given().contentType("application/json").header(TimestampedSignature.HEADER, signedOther).body(body)
                .when().post(WEBHOOKS).then().statusCode(401);

        assertThat(recordsFor(level.key())).isEmpty();
    }

    private static ValidatableResponse post(String body) {
        return postSigned(WEBHOOKS, body, SECRET, Instant.now());
    }

    /** A level of a product the simulator does not list, so that no pull publishes it behind the test's back. */
    private static Level newLevel(String location, int onHand) {
        return new Level("TEST-" + UUID.randomUUID(), location, onHand, OffsetDateTime.now(ZoneOffset.ofHours(1)));
    }

    private static String batch(Level level) {
        return "{\"stock_levels\":[" + level.toJson() + "]}";
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
