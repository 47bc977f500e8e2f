package dev.levain.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.levain.devstack.simulator.square.SquareSimulator;
import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.Topics;
import dev.levain.ingest.support.SquareWebhooks;
import dev.levain.ingest.support.Webhooks;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A deployment serving only the POS source, as {@code ingest-pos} in deploy/ ({@code LEVAIN_INGEST_SOURCES=pos}),
 * which is where the Ingress sends every Square notification.
 */
@QuarkusTest
@TestProfile(SingleSourceDeploymentTest.PosOnly.class)
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class SingleSourceDeploymentTest {

    /** The one profile of this module besides the default: ingest for the POS alone. */
    public static class PosOnly implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("levain.ingest.sources", "pos");
        }
    }

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @Test
    void endpointsOfOtherSourcesAnswer404NamingTheSource() {
        Webhooks.postSigned("/api/v1/ingest/crm/webhooks",
                        "{\"id\": \"C-404\", \"updated_at\": \"2026-11-27T08:00:00Z\"}", "test-crm-secret", Instant.now())
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("This deployment does not serve the crm source"));
        Webhooks.postSigned("/api/v1/ingest/inventory/webhooks",
                        "{\"sku\": \"CROISSANT\", \"location\": \"PAR-01\", \"on_hand\": 3, \"updated_at\": \"2026-11-27T08:00:00Z\"}",
                        "test-inventory-secret", Instant.now())
                .statusCode(404)
                .body("detail", equalTo("This deployment does not serve the inventory source"));
        given().contentType("text/csv").header("Authorization", "Bearer test-upload-token")
                .body("email\nsolo@example.com\n").post("/api/v1/ingest/crm/contacts/csv")
                .then().statusCode(404);
    }

    @Test
    void theServedSourceStillWorks() {
        Webhooks.postSigned("/api/v1/ingest/pos/sales", PosSaleResourceTest.sale("PAR-01", "S-POS-ONLY-" + UUID.randomUUID(), "1.00"))
                .statusCode(202)
                .body("status", equalTo("accepted"));
    }

    @Test
    void squareCustomerNotificationIsPublishedOnTheCrmTopicThoughCrmIsNotServedHere() {
        String eventId = UUID.randomUUID().toString();
        String customerId = "SQC-" + UUID.randomUUID();
        String customer = """
                {"merchant_id": "%s", "type": "customer.created", "event_id": "%s",
                 "created_at": "2026-11-27T06:05:00Z", "data": {"type": "customer", "id": "%s",
                 "object": {"customer": {"id": "%s", "email_address": "pos-only@panpan.example",
                 "updated_at": "2026-11-27T06:05:00Z"}}}}"""
                .formatted(SquareSimulator.MERCHANT_ID, eventId, customerId, customerId);

        SquareWebhooks.postSigned(customer).statusCode(202).body("status", equalTo("accepted"));
        // Square's redelivery is a duplicate, not a second record.
        SquareWebhooks.postSigned(customer).statusCode(200).body("status", equalTo("duplicate"));

        assertPublishedOnce(Topics.RAW_CRM, eventId, customerId, customer);
    }

    @Test
    void squareInventoryCountIsPublishedOnTheInventoryTopicThoughInventoryIsNotServedHere() {
        String eventId = UUID.randomUUID().toString();
        String sku = "SKU-" + UUID.randomUUID();
        String count = """
                {"merchant_id": "%s", "type": "inventory.count.updated", "event_id": "%s",
                 "created_at": "2026-11-27T06:05:00.123Z", "data": {"type": "inventory", "id": "%s",
                 "object": {"inventory_counts": [{"catalog_object_id": "%s", "location_id": "L1BASTILLE",
                 "quantity": "42", "state": "IN_STOCK", "calculated_at": "2026-11-27T06:04:59.000Z"}]}}}"""
                .formatted(SquareSimulator.MERCHANT_ID, eventId, UUID.randomUUID(), sku);

        SquareWebhooks.postSigned(count).statusCode(202).body("status", equalTo("accepted"));

        assertPublishedOnce(Topics.RAW_INVENTORY, eventId, "L1BASTILLE/" + sku, count);
    }

    /** The notification is on {@code topic} once, under {@code key}, with the bytes Square sent. */
    private void assertPublishedOnce(String topic, String eventId, String key, String body) {
        assertThat(kafka.readAll(topic)).filteredOn(r -> eventId.equals(SquareWebhookResourceTest.header(r, "ce_id")))
                .singleElement().satisfies(r -> {
                    assertThat(r.key()).isEqualTo(key);
                    assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo(body);
                });
    }
}
