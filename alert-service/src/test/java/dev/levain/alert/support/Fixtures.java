package dev.levain.alert.support;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.levain.alert.service.Observation;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.EventTypes;
import dev.levain.events.Json;
import dev.levain.events.Topics;
import dev.levain.events.inventory.InventoryChanged;
import dev.levain.events.sales.SaleRecorded;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Rules, events and stores as the tests make them: each test uses its own store code. */
public final class Fixtures {

    public static final String ADMIN_TOKEN = "test-admin-token";

    private Fixtures() {
    }

    /** A store code no other test uses, e.g. {@code LOW-3F9A1C}. */
    public static String store(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
    }

    public static RequestSpecification admin() {
        return given().auth().oauth2(ADMIN_TOKEN).contentType(ContentType.JSON);
    }

    /** Creates a rule through the admin API; returns its id. */
    public static long rule(String json) {
        return admin().body(json).post("/api/v1/alerts/rules").then().statusCode(201).extract().jsonPath()
                .getLong("id");
    }

    public static long lowStockRule(String store, int threshold, String channels) {
        return rule("""
                {"name": "Low stock %s", "kind": "low_stock", "store_code": "%s", "threshold": %d, "channels": %s}"""
                .formatted(store, store, threshold, channels));
    }

    public static InventoryChanged level(String store, String sku, int onHand, long version) {
        BigDecimal level = BigDecimal.valueOf(onHand);
        BigDecimal reorderPoint = BigDecimal.valueOf(5);
        return new InventoryChanged(store, sku, "Croissant " + sku, level, null, reorderPoint,
                InventoryChanged.status(level, reorderPoint), version, OffsetDateTime.now(ZoneOffset.UTC));
    }

    /** The event as the normalizer publishes it: binary-mode CloudEvent, JSON body. */
    public static void publish(KafkaTestClient kafka, InventoryChanged level) {
        kafka.sendCloudEvent(Topics.INVENTORY_CHANGED, level.key(), json(level).getBytes(StandardCharsets.UTF_8),
                level.eventId(), EventTypes.INVENTORY_CHANGED, "levain/normalize/" + level.storeCode());
    }

    /** The same event as the consumer hands it to the service, for tests that step time between events. */
    public static Observation observation(InventoryChanged level) {
        return new Observation(level.eventId(), Topics.INVENTORY_CHANGED, EventTypes.INVENTORY_CHANGED,
                "levain/normalize/" + level.storeCode(), level.key(), level.asOf(), json(level));
    }

    public static Observation sale(String store, Instant occurredAt) {
        SaleRecorded sale = new SaleRecorded(1, "pos-native", UUID.randomUUID().toString(), 1, store,
                occurredAt.atOffset(ZoneOffset.UTC), LocalDate.ofInstant(occurredAt, ZoneOffset.UTC), "completed", "EUR",
                BigDecimal.TEN, BigDecimal.ZERO, BigDecimal.TEN, 1, null, occurredAt.atOffset(ZoneOffset.UTC),
                SaleRecorded.CHANNEL_IN_STORE, BigDecimal.ONE, BigDecimal.ZERO);
        return new Observation(UUID.randomUUID().toString(), Topics.SALES_RECORDED, EventTypes.SALE_RECORDED,
                "levain/normalize/" + store, sale.key(), sale.occurredAt(), json(sale));
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
