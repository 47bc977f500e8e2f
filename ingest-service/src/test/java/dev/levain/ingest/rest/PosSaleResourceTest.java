package dev.levain.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;

import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class PosSaleResourceTest {

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @Test
    void acceptedSaleIsOnRawPosTopicWithItsExactBytes() {
        String saleId = newSaleId();
        String body = sale("PAR-01", saleId, "2.00");

        String eventId = given().contentType("application/json").body(body)
                .when().post("/api/v1/ingest/pos/sales")
                .then().statusCode(202)
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
    void sameSaleSentTwiceKeepsOneEventId() {
        String body = sale("PAR-02", newSaleId(), "3.10");
        String first = given().contentType("application/json").body(body)
                .post("/api/v1/ingest/pos/sales").then().statusCode(202).extract().path("event_id");
        String second = given().contentType("application/json").body(body)
                .post("/api/v1/ingest/pos/sales").then().statusCode(202).extract().path("event_id");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void wrongTypeIsRefusedNamingTheFieldAndNothingIsPublished() {
        String saleId = newSaleId();
        String body = sale("PAR-01", saleId, "2.00").replace("\"quantity\": 2", "\"quantity\": \"two\"");

        given().contentType("application/json").body(body)
                .when().post("/api/v1/ingest/pos/sales")
                .then().statusCode(400)
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

        given().contentType("application/json").body(body)
                .when().post("/api/v1/ingest/pos/sales")
                .then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder(
                        "store_code", "customer_email", "lines[0].quantity", "lines[0].unit_price"));
    }

    @Test
    void timeWithoutOffsetIsRefused() {
        String body = sale("PAR-01", newSaleId(), "1.00").replace("2026-11-27T08:15:00+01:00", "2026-11-27T08:15:00");
        given().contentType("application/json").body(body)
                .when().post("/api/v1/ingest/pos/sales")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("occurred_at"));
    }

    @Test
    void malformedJsonIsRefused() {
        given().contentType("application/json").body("{\"store_code\": \"PAR-01\",")
                .when().post("/api/v1/ingest/pos/sales")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("body"))
                .body("errors[0].message", org.hamcrest.Matchers.startsWith("is not valid JSON"));
    }

    @Test
    void bodyOverTheLimitIs413() {
        String huge = sale("PAR-01", newSaleId(), "1.00").replace("\"lines\"",
                "\"note\": \"" + "x".repeat(1_100_000) + "\", \"lines\"");
        given().contentType("application/json").body(huge)
                .when().post("/api/v1/ingest/pos/sales")
                .then().statusCode(413);
    }

    @Test
    void healthIsUpWithTheBroker() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    private List<ConsumerRecord<String, byte[]>> recordsFor(String key) {
        return kafka.readAll(Topics.RAW_POS).stream().filter(r -> key.equals(r.key())).toList();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
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
}
