package dev.levain.normalize.mapping;

import static dev.levain.normalize.mapping.MappingFixtures.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levain.devstack.simulator.square.SquareSimulator;
import dev.levain.devstack.simulator.square.SquareWebhook;
import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.normalize.service.RejectedEventException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class SquareNotificationMapperTest {

    private final SquareNotificationMapper mapper = new SquareNotificationMapper(MappingFixtures.panPan(),
            MappingFixtures.stores());

    private List<CanonicalRecord> map(String body) {
        return mapper.map(envelope(EventTypes.RAW_POS_SQUARE_NOTIFICATION, body));
    }

    @Test
    void orderAndPaymentNotificationsGiveNothingSinceTheirOrderTravelsBesideThem() {
        SquareSimulator.Options options = new SquareSimulator.Options(0, "token", "signature-key",
                "http://127.0.0.1:1/unreachable", Duration.ofHours(1), 1, 100, 7L);
        try (SquareSimulator square = SquareSimulator.start(options)) {
            SquareSimulator.Sale sale = square.sellAt("L2MONTMARTRE", Instant.parse("2026-11-27T08:00:00Z"));

            assertThat(sale.webhooks()).extracting(SquareWebhook::type).containsExactly("order.created", "payment.created");
            for (SquareWebhook webhook : sale.webhooks()) {
                assertThat(map(webhook.bodyText())).isEmpty();
            }
        }
        assertThat(map(notification("refund.updated", "{\"refund\": {\"id\": \"R-1\", \"order_id\": \"O-1\"}}"))).isEmpty();
    }

    @Test
    void customerNotificationBecomesASquareCustomer() {
        List<CanonicalRecord> records = map(notification("customer.updated", """
                {"customer": {"id": "SQC0007", "given_name": " Camille ", "family_name": "Dubois  Martin",
                  "email_address": "Camille.Dubois@PanPan.example", "phone_number": "06 12 34 56 78",
                  "preferences": {"email_unsubscribed": false},
                  "created_at": "2026-01-02T10:00:00Z", "updated_at": "2026-11-27T09:30:00.250Z", "version": 3}}
                """));

        assertThat(records).containsExactly(new CanonicalCustomer(Sources.POS_SQUARE, "SQC0007",
                "camille.dubois@panpan.example", "+33612345678", "Camille Dubois Martin", true,
                Instant.parse("2026-11-27T09:30:00.250Z").toEpochMilli(), MappingFixtures.RECEIVED_AT));
    }

    @Test
    void customerWithoutContactDetailsIsStillACustomer() {
        List<CanonicalRecord> records = map(notification("customer.created",
                "{\"customer\": {\"id\": \"SQC0008\", \"updated_at\": \"2026-11-27T09:30:00Z\"}}"));

        assertThat(records).containsExactly(new CanonicalCustomer(Sources.POS_SQUARE, "SQC0008", null, null, null, null,
                Instant.parse("2026-11-27T09:30:00Z").toEpochMilli(), MappingFixtures.RECEIVED_AT));
    }

    @Test
    void deletedCustomerGivesNothing() {
        assertThat(map(notification("customer.deleted", "{\"customer\": {\"id\": \"SQC0007\"}}"))).isEmpty();
    }

    @Test
    void inventoryCountNotificationGivesTheInStockLevels() {
        List<CanonicalRecord> records = map(notification("inventory.count.updated", """
                {"inventory_counts": [
                  {"catalog_object_id": "croissant", "catalog_object_type": "ITEM_VARIATION", "state": "IN_STOCK",
                   "location_id": "L1BASTILLE", "quantity": "42", "calculated_at": "2026-11-27T07:45:00.123Z"},
                  {"catalog_object_id": "CROISSANT", "catalog_object_type": "ITEM_VARIATION", "state": "WASTE",
                   "location_id": "L1BASTILLE", "quantity": "3", "calculated_at": "2026-11-27T07:45:00.123Z"},
                  {"catalog_object_id": "FLAN", "catalog_object_type": "ITEM_VARIATION", "state": "IN_STOCK",
                   "location_id": "L2MONTMARTRE", "quantity": "-2", "calculated_at": "2026-11-27T07:46:00Z"}]}
                """));

        assertThat(records).containsExactly(
                new CanonicalStockLevel(Sources.POS_SQUARE, "CROISSANT", "PAR-BASTILLE", new BigDecimal("42"),
                        OffsetDateTime.parse("2026-11-27T07:45:00.123Z"), MappingFixtures.RECEIVED_AT),
                new CanonicalStockLevel(Sources.POS_SQUARE, "FLAN", "PAR-MONTMARTRE", new BigDecimal("-2"),
                        OffsetDateTime.parse("2026-11-27T07:46:00Z"), MappingFixtures.RECEIVED_AT));
    }

    @Test
    void badInputIsRejectedNamingTheField() {
        assertThatThrownBy(() -> map(notification("customer.updated", "{\"customer\": {\"id\": \"SQC1\"}}")))
                .isInstanceOf(RejectedEventException.class)
                .hasMessage("data.object.customer.updated_at is required");
        assertThatThrownBy(() -> map(notification("customer.updated",
                "{\"customer\": {\"id\": \"SQC1\", \"email_address\": \"nope\", \"updated_at\": \"2026-11-27T09:30:00Z\"}}")))
                .hasMessage("data.object.customer.email_address is not an e-mail address: nope");
        assertThatThrownBy(() -> map(notification("inventory.count.updated", """
                {"inventory_counts": [{"catalog_object_id": "A", "state": "IN_STOCK", "location_id": "L1BASTILLE",
                  "quantity": "many", "calculated_at": "2026-11-27T07:45:00Z"}]}""")))
                .hasMessage("data.object.inventory_counts[0].quantity is not a number: many");
        assertThatThrownBy(() -> map("{\"event_id\": \"E-1\"}")).hasMessage("type is required");
        assertThatThrownBy(() -> map("{\"type\": \"customer.created\", \"data\": {}}"))
                .hasMessage("data.object is required");
    }

    private static String notification(String type, String object) {
        return """
                {"merchant_id": "MLPANPAN0001", "type": "%s", "event_id": "0b7e3d55-d1a4-4f8e-9c2b-5f1b2c3d4e5f",
                 "created_at": "2026-11-27T09:30:01Z", "data": {"type": "x", "id": "ID-1", "object": %s}}
                """.formatted(type, object);
    }
}
