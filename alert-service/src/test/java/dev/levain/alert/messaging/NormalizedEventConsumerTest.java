package dev.levain.alert.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.levain.alert.repository.ObservedEvent;
import dev.levain.alert.repository.ObservedEventRepository;
import dev.levain.alert.support.OutsideWorldTestResource;
import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.Topics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OutsideWorldTestResource.class, scope = TestResourceScope.GLOBAL)
class NormalizedEventConsumerTest {

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @Inject
    ObservedEventRepository events;

    @Test
    void recordedSaleIsObservedOnceEvenWhenDelivered3Times() {
        String id = UUID.randomUUID().toString();
        String body = "{\"sale_id\": 7, \"store_code\": \"PAR-01\", \"net\": 12.40}";
        for (int i = 0; i < 3; i++) {
            kafka.send(Topics.SALES_RECORDED, "pos-native:PAR-01/S-7", body.getBytes(StandardCharsets.UTF_8),
                    cloudEvent(id, "levain.sales.recorded"));
        }
        // Same key, same partition: once the marker is seen, the three deliveries before it were handled.
        String marker = UUID.randomUUID().toString();
        kafka.send(Topics.SALES_RECORDED, "pos-native:PAR-01/S-7", "{}".getBytes(StandardCharsets.UTF_8),
                cloudEvent(marker, "levain.sales.recorded"));

        await().atMost(Duration.ofSeconds(30)).until(() -> observed(marker).size() == 1);
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        List<ObservedEvent> seen = observed(id);
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).topic).isEqualTo(Topics.SALES_RECORDED);
        assertThat(seen.get(0).eventKey).isEqualTo("pos-native:PAR-01/S-7");
        assertThat(seen.get(0).payload).isEqualTo(body);
        assertThat(seen.get(0).eventTime).isNotNull();
    }

    @Test
    void inventoryChangeIsObserved() {
        String id = UUID.randomUUID().toString();
        kafka.send(Topics.INVENTORY_CHANGED, "CROISSANT@PAR-01",
                "{\"sku\": \"CROISSANT\", \"store_code\": \"PAR-01\", \"on_hand\": 3}".getBytes(StandardCharsets.UTF_8),
                cloudEvent(id, "levain.inventory.changed"));

        await().atMost(Duration.ofSeconds(30)).until(() -> observed(id).size() == 1);
        assertThat(observed(id).get(0).eventType).isEqualTo("levain.inventory.changed");
    }

    @Test
    void eventWithoutKeyOrTimeIsObserved() {
        String id = UUID.randomUUID().toString();
        kafka.send(Topics.INVENTORY_CHANGED, null, "{\"sku\": \"FLAN\"}".getBytes(StandardCharsets.UTF_8),
                Map.of("ce_specversion", "1.0", "ce_id", id, "ce_type", "levain.inventory.changed",
                        "ce_source", "levain/normalize/PAR-01"));

        await().atMost(Duration.ofSeconds(30)).until(() -> observed(id).size() == 1);
        assertThat(observed(id).get(0).eventKey).isNull();
        assertThat(observed(id).get(0).eventTime).isNull();
    }

    @Test
    void healthIsUpWithDatabaseAndBroker() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    private List<ObservedEvent> observed(String eventId) {
        return QuarkusTransaction.requiringNew().call(() -> events.list("eventId", eventId));
    }

    private static Map<String, String> cloudEvent(String id, String type) {
        return Map.of("ce_specversion", "1.0", "ce_id", id, "ce_type", type,
                "ce_source", "levain/normalize/PAR-01", "ce_time", "2026-11-27T08:15:00+01:00",
                "content-type", "application/json");
    }
}
