package dev.levain.normalize.mapping;

import static dev.levain.normalize.mapping.MappingFixtures.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.levain.devstack.simulator.square.SquareSimulator;
import dev.levain.events.EventTypes;
import dev.levain.events.Json;
import dev.levain.events.Sources;
import dev.levain.normalize.service.RejectedEventException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class SquareOrderMapperTest {

    private final SquareOrderMapper mapper = new SquareOrderMapper(MappingFixtures.stores(), MappingFixtures.defaults());

    private List<CanonicalRecord> map(byte[] order) {
        return mapper.map(envelope(EventTypes.RAW_POS_SQUARE_ORDER, order));
    }

    private List<CanonicalRecord> map(String order) {
        return map(order.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void deliveredOrderWithDiscountInclusiveTaxAndRefundsBecomesASaleNetOfTaxAndItsRefunds() {
        List<CanonicalRecord> records = map(MappingFixtures.resource("square-order-delivery.json"));

        assertThat(records).hasSize(3).isUnmodifiable();
        CanonicalSale sale = (CanonicalSale) records.get(0);
        assertThat(sale.source()).isEqualTo(Sources.POS_SQUARE);
        assertThat(sale.sourceId()).isEqualTo("QX7K2M9WDELIVERY0001");
        assertThat(sale.storeCode()).isEqualTo("PAR-DELIVERY");
        assertThat(sale.occurredAt()).isEqualTo(OffsetDateTime.parse("2026-11-27T12:01:30.123Z"));
        assertThat(sale.status()).isEqualTo(CanonicalSale.COMPLETED);
        assertThat(sale.version()).isEqualTo(4);
        assertThat(sale.currency()).isEqualTo("EUR");
        assertThat(sale.channel()).isEqualTo(CanonicalSale.DELIVERY);
        assertThat(sale.customer()).isEqualTo(new CustomerRef(Sources.POS_SQUARE, "SQC0007", null, null, null));
        assertThat(sale.lines()).containsExactly(
                // 2 × 5.50 − 1.10 discount = 9.90 paid, of which 0.90 VAT: net 9.00 at 5.00 a unit, discount 1.00 net of tax.
                new CanonicalSaleLine(1, "SANDWICH", "Jambon-beurre", new BigDecimal("2"), new BigDecimal("5.00"),
                        new BigDecimal("1.00"), new BigDecimal("9.00")),
                new CanonicalSaleLine(2, "JUS-ORANGE", "Jus d'orange pressé", new BigDecimal("1"), new BigDecimal("3.45"),
                        new BigDecimal("0.00"), new BigDecimal("3.45")),
                // 4.20 − 0.38 VAT = 3.82 net; 3.82 / 3 rounded up to 1.28, the 0.02 remainder as discount.
                new CanonicalSaleLine(3, "CROISSANT", "Croissant au beurre", new BigDecimal("3"), new BigDecimal("1.28"),
                        new BigDecimal("0.02"), new BigDecimal("3.82")),
                new CanonicalSaleLine(4, "FRAIS DE LIVRAISON", "Frais de livraison", new BigDecimal("1"),
                        new BigDecimal("2.73"), new BigDecimal("0.00"), new BigDecimal("2.73")));
        assertThat(sale.gross()).isEqualTo(new BigDecimal("20.02"));
        assertThat(sale.discount()).isEqualTo(new BigDecimal("1.02"));
        assertThat(sale.net()).isEqualTo(new BigDecimal("19.00"));
        assertThat(sale.tax()).isEqualTo(new BigDecimal("1.90"));
        // What the buyer paid (total_money 20.90) is exactly net + tax.
        assertThat(sale.net().add(sale.tax())).isEqualTo(new BigDecimal("20.90"));

        // Refunds net of their share of tax (1.90 of 20.90): 3.80 − 0.35, 3.00 − 0.27.
        assertThat(records.subList(1, 3)).containsExactly(
                new CanonicalRefund(Sources.POS_SQUARE, "RF-APPROVED-1", Sources.POS_SQUARE, "QX7K2M9WDELIVERY0001",
                        "PAR-DELIVERY", OffsetDateTime.parse("2026-11-27T15:00:00Z"), new BigDecimal("3.45"), "EUR",
                        CanonicalRefund.COMPLETED, 4, MappingFixtures.RECEIVED_AT, List.of()),
                new CanonicalRefund(Sources.POS_SQUARE, "RF-PENDING-2", Sources.POS_SQUARE, "QX7K2M9WDELIVERY0001",
                        "PAR-DELIVERY", OffsetDateTime.parse("2026-11-27T16:30:00.250Z"), new BigDecimal("2.73"), "EUR",
                        "pending", 4, MappingFixtures.RECEIVED_AT, List.of()));
    }

    @Test
    void returnOrderGivesNoSaleButARefundOfTheOriginalSaleNetOfTheReturnedTaxWithTheProductsGivenBack() {
        List<CanonicalRecord> records = map(MappingFixtures.resource("square-return-order.json"));

        assertThat(records).containsExactly(new CanonicalRefund(Sources.POS_SQUARE, "RF-RETURN-9", Sources.POS_SQUARE,
                "QX7K2M9WDELIVERY0001", "PAR-DELIVERY", OffsetDateTime.parse("2026-11-28T10:05:00Z"),
                new BigDecimal("3.45"), "EUR", CanonicalRefund.COMPLETED, 1, MappingFixtures.RECEIVED_AT,
                List.of(new CanonicalRefundLine(1, "JUS-ORANGE", "Jus d'orange pressé", new BigDecimal("1"),
                        new BigDecimal("3.45")))));
    }

    /**
     * Two products returned, paid back on two tenders (a card 6.60, a gift card 4.40, one more refund that
     * failed): each refund carries its share of the units (60% and 40%) and its amount, net of the 10%
     * inclusive VAT, spread over the products by what they were sold for; the lines add up to the refund.
     */
    @Test
    void returnPaidBackOnTwoTendersSplitsTheReturnedProductsBetweenTheRefunds() {
        List<CanonicalRecord> records = map("""
                {"id": "RET-SPLIT", "location_id": "L1BASTILLE", "state": "COMPLETED", "version": 2,
                 "created_at": "2026-11-28T09:00:00Z", "closed_at": "2026-11-28T09:01:00Z",
                 "returns": [{"uid": "R1", "source_order_id": "SALE-SPLIT",
                   "return_line_items": [
                     {"uid": "RL1", "catalog_object_id": "croissant", "name": "Croissant", "quantity": "5",
                      "gross_return_money": {"amount": 660, "currency": "EUR"},
                      "total_tax_money": {"amount": 60, "currency": "EUR"},
                      "total_money": {"amount": 660, "currency": "EUR"}},
                     {"uid": "RL2", "name": "Tarte du jour", "quantity": "1",
                      "base_price_money": {"amount": 440, "currency": "EUR"},
                      "total_tax_money": {"amount": 40, "currency": "EUR"},
                      "total_money": {"amount": 440, "currency": "EUR"}}],
                   "return_taxes": [{"uid": "RT", "type": "INCLUSIVE", "percentage": "10"}]}],
                 "return_amounts": {"total_money": {"amount": 1100, "currency": "EUR"},
                                    "tax_money": {"amount": 100, "currency": "EUR"}},
                 "refunds": [
                   {"id": "RF-CARD", "status": "COMPLETED", "created_at": "2026-11-28T09:01:00Z",
                    "amount_money": {"amount": 660, "currency": "EUR"}},
                   {"id": "RF-GIFT", "status": "COMPLETED", "created_at": "2026-11-28T09:01:00Z",
                    "amount_money": {"amount": 440, "currency": "EUR"}},
                   {"id": "RF-DECLINED", "status": "FAILED", "created_at": "2026-11-28T09:00:30Z",
                    "amount_money": {"amount": 440, "currency": "EUR"}}],
                 "total_money": {"amount": 0, "currency": "EUR"}}""");

        assertThat(records).hasSize(3).allMatch(record -> record instanceof CanonicalRefund);
        CanonicalRefund card = (CanonicalRefund) records.get(0);
        CanonicalRefund gift = (CanonicalRefund) records.get(1);
        CanonicalRefund declined = (CanonicalRefund) records.get(2);
        // 6.60 − 0.60 VAT = 6.00, of which 5 croissants (6.00 of 10.00 sold) 3.60 and the tart 2.40.
        assertThat(card.amount()).isEqualTo(new BigDecimal("6.00"));
        assertThat(card.lines()).containsExactly(
                new CanonicalRefundLine(1, "CROISSANT", "Croissant", new BigDecimal("3.000"), new BigDecimal("3.60")),
                new CanonicalRefundLine(2, "TARTE DU JOUR", "Tarte du jour", new BigDecimal("0.600"),
                        new BigDecimal("2.40")));
        assertThat(gift.amount()).isEqualTo(new BigDecimal("4.00"));
        assertThat(gift.lines()).containsExactly(
                new CanonicalRefundLine(1, "CROISSANT", "Croissant", new BigDecimal("2.000"), new BigDecimal("2.40")),
                new CanonicalRefundLine(2, "TARTE DU JOUR", "Tarte du jour", new BigDecimal("0.400"),
                        new BigDecimal("1.60")));
        assertThat(declined.status()).isEqualTo("failed");
        for (CanonicalRefund refund : List.of(card, gift, declined)) {
            assertThat(refund.lines().stream().map(CanonicalRefundLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add))
                    .isEqualTo(refund.amount());
        }
    }

    @Test
    void returnedLineWithoutAQuantityIsRejectedWithItsPath() {
        assertThatThrownBy(() -> map("""
                {"id": "RET-BAD", "location_id": "L1BASTILLE", "state": "COMPLETED", "version": 1,
                 "created_at": "2026-11-28T09:00:00Z",
                 "returns": [{"uid": "R1", "source_order_id": "SALE-1",
                   "return_line_items": [{"uid": "RL1", "catalog_object_id": "CROISSANT",
                      "total_money": {"amount": 120, "currency": "EUR"}}]}],
                 "refunds": [{"id": "RF-1", "status": "COMPLETED", "amount_money": {"amount": 120, "currency": "EUR"}}],
                 "total_money": {"amount": 0, "currency": "EUR"}}"""))
                .isInstanceOf(RejectedEventException.class)
                .hasMessageContaining("returns[0].return_line_items[0].quantity");
    }

    @Test
    void unlinkedReturnGivesNothingSinceNoSaleCanBeReduced() throws IOException {
        ObjectNode order = (ObjectNode) Json.mapper().readTree(MappingFixtures.resource("square-return-order.json"));
        ((ObjectNode) order.get("returns").get(0)).remove("source_order_id");

        assertThat(map(order.toString())).isEmpty();
    }

    @Test
    void simulatedPanPanOrdersAreMappedNetOfTheirInclusiveVat() throws IOException {
        SquareSimulator.Options options = new SquareSimulator.Options(0, "token", "signature-key",
                "http://127.0.0.1:1/unreachable", Duration.ofHours(1), 1, 100, 20261127L);
        try (SquareSimulator square = SquareSimulator.start(options)) {
            for (int i = 0; i < 25; i++) {
                SquareSimulator.Sale sold = square.sellAt("L1BASTILLE", Instant.parse("2026-11-27T07:30:00Z").plusSeconds(i * 97L));
                byte[] json = square.orderJson(sold.orderId()).getBytes(StandardCharsets.UTF_8);
                JsonNode order = Json.mapper().readTree(json);

                CanonicalSale sale = (CanonicalSale) map(json).get(0);

                assertThat(sale.sourceId()).isEqualTo(sold.orderId());
                assertThat(sale.storeCode()).isEqualTo("PAR-BASTILLE");
                assertThat(sale.occurredAt()).isEqualTo(OffsetDateTime.parse(order.get("closed_at").asText()));
                assertThat(sale.version()).isEqualTo(2);
                assertThat(sale.tax()).isEqualTo(cents(order.at("/total_tax_money/amount").asLong()));
                assertThat(sale.net().add(sale.tax())).isEqualTo(cents(sold.totalCents()));
                assertThat(sale.gross().subtract(sale.discount())).isEqualTo(sale.net());
                assertThat(sale.lines()).extracting(CanonicalSaleLine::sku)
                        .containsExactlyElementsOf(order.findValuesAsText("catalog_object_id"));
                assertThat(sale.lines()).allSatisfy(line -> {
                    assertThat(line.discount()).isBetween(new BigDecimal("0.00"), line.qty().multiply(new BigDecimal("0.01")));
                    assertThat(line.net()).isEqualTo(line.qty().multiply(line.unitPrice()).subtract(line.discount())
                            .setScale(2));
                });
                String customerId = order.path("customer_id").asText(null);
                assertThat(sale.customer()).isEqualTo(customerId == null ? null
                        : new CustomerRef(Sources.POS_SQUARE, customerId, null, null, null));
            }
        }
    }

    @Test
    void additiveTaxIsReportedApartAndLeavesPricesAsTheyAre() {
        CanonicalSale sale = (CanonicalSale) map("""
                {"id": "NY-1", "location_id": "LNYSOHO", "state": "COMPLETED", "version": 3,
                 "created_at": "2026-11-27T13:15:00Z",
                 "taxes": [{"uid": "NYC", "type": "ADDITIVE", "percentage": "8.875", "scope": "ORDER"}],
                 "line_items": [{"catalog_object_id": "BAGEL", "name": "Bagel", "quantity": "2",
                   "base_price_money": {"amount": 325, "currency": "USD"},
                   "total_tax_money": {"amount": 58, "currency": "USD"},
                   "total_money": {"amount": 708, "currency": "USD"}}],
                 "fulfillments": [{"type": "PICKUP"}],
                 "total_money": {"amount": 708, "currency": "USD"},
                 "total_tax_money": {"amount": 58, "currency": "USD"}}
                """).get(0);

        assertThat(sale.storeCode()).isEqualTo("NYC-SOHO");
        assertThat(sale.currency()).isEqualTo("USD");
        assertThat(sale.channel()).isEqualTo(CanonicalSale.IN_STORE);
        assertThat(sale.occurredAt()).isEqualTo(OffsetDateTime.parse("2026-11-27T13:15:00Z"));
        assertThat(sale.customer()).isNull();
        assertThat(sale.lines()).containsExactly(new CanonicalSaleLine(1, "BAGEL", "Bagel", new BigDecimal("2"),
                new BigDecimal("3.25"), new BigDecimal("0.00"), new BigDecimal("6.50")));
        assertThat(sale.net()).isEqualTo(new BigDecimal("6.50"));
        assertThat(sale.tax()).isEqualTo(new BigDecimal("0.58"));
    }

    @Test
    void orderThatIsStillOpenGivesNothingYet() {
        assertThat(map("{\"id\": \"O-1\", \"location_id\": \"L1BASTILLE\", \"state\": \"OPEN\", \"version\": 1}")).isEmpty();
    }

    @Test
    void canceledOrderIsAVoidedSale() {
        CanonicalSale sale = (CanonicalSale) map(order("CANCELED", "\"2\"")).get(0);

        assertThat(sale.status()).isEqualTo(CanonicalSale.VOIDED);
    }

    @Test
    void shipmentIsADelivery() {
        ObjectNode order = (ObjectNode) tree(order("COMPLETED", "\"1\""));
        order.putArray("fulfillments").addObject().put("type", "SHIPMENT");

        assertThat(((CanonicalSale) map(order.toString()).get(0)).channel()).isEqualTo(CanonicalSale.DELIVERY);
    }

    @Test
    void badInputIsRejectedNamingTheField() {
        assertThatThrownBy(() -> map(order("COMPLETED", "\"x\"")))
                .isInstanceOf(RejectedEventException.class)
                .hasMessage("line_items[1].quantity is not a number: x");
        assertThatThrownBy(() -> map(order("COMPLETED", "\"0\"")))
                .hasMessage("line_items[1].quantity must be positive, below 10^11, with at most 3 decimals");
        assertThatThrownBy(() -> map(order("REFUNDED", "\"1\"")))
                .hasMessage("state must be COMPLETED, CANCELED, OPEN or DRAFT, not REFUNDED");
        assertThatThrownBy(() -> map("{\"id\": \"O-1\", \"location_id\": \"L1BASTILLE\"}"))
                .hasMessage("state is required");
        assertThatThrownBy(() -> map(without(order("COMPLETED", "\"1\""), "created_at")))
                .hasMessage("created_at is required");
        assertThatThrownBy(() -> map(order("COMPLETED", "\"1\"").replace("\"amount\": 140", "\"amount\": 1.5")))
                .hasMessage("line_items[1].base_price_money.amount is not a whole number: 1.5");
        assertThatThrownBy(() -> map(order("COMPLETED", "\"1\"").replace("\"amount\": 140, \"currency\": \"EUR\"",
                "\"amount\": 140, \"currency\": \"USD\"")))
                .hasMessage("line_items[1].base_price_money.currency is USD, not the order's EUR");
        assertThatThrownBy(() -> map(order("COMPLETED", "\"1\"").replace("\"currency\": \"EUR\"", "\"currency\": \"USD\"")))
                .hasMessage("total_money.currency is USD but store PAR-BASTILLE sells in EUR: a sale is never added up"
                        + " across currencies");
        assertThatThrownBy(() -> map("[1, 2]"))
                .hasMessage("payload is not a Square order: a JSON object is expected");
    }

    @Test
    void lineWithNeitherCatalogIdNorNameIsRejected() {
        assertThatThrownBy(() -> map(order("COMPLETED", "\"1\"").replace("\"catalog_object_id\": \"CROISSANT\", \"name\": \"Croissant\", ", "")))
                .hasMessage("line_items[1].name (the sku of a line without catalog_object_id) is required");
    }

    @Test
    void refundInAnUnknownStateIsRejected() {
        ObjectNode order = (ObjectNode) tree(order("COMPLETED", "\"1\""));
        order.putArray("refunds").addObject().put("id", "R-1").put("status", "LOST")
                .putObject("amount_money").put("amount", 100).put("currency", "EUR");

        assertThatThrownBy(() -> map(order.toString())).hasMessage("refunds[0].status must be APPROVED, COMPLETED, PENDING, REJECTED or FAILED, not LOST");
    }

    @Test
    void mixedTaxesWithoutAppliedTaxesCannotBeSplit() {
        ObjectNode order = (ObjectNode) tree(order("COMPLETED", "\"1\""));
        order.putArray("taxes").add(Json.mapper().createObjectNode().put("uid", "A").put("type", "INCLUSIVE"))
                .add(Json.mapper().createObjectNode().put("uid", "B").put("type", "ADDITIVE"));

        assertThatThrownBy(() -> map(order.toString()))
                .hasMessage("line_items[0].applied_taxes is required to tell inclusive from additive tax when the order has both");
    }

    /** A two-line order in {@code state} whose second line has {@code quantity}. */
    private static String order(String state, String quantity) {
        return """
                {"id": "O-1", "location_id": "L1BASTILLE", "state": "%s", "version": 2,
                 "created_at": "2026-11-27T07:15:00Z",
                 "line_items": [
                   {"catalog_object_id": "BAGUETTE", "name": "Baguette", "quantity": "1",
                    "base_price_money": {"amount": 130, "currency": "EUR"}},
                   {"catalog_object_id": "CROISSANT", "name": "Croissant", "quantity": %s,
                    "base_price_money": {"amount": 140, "currency": "EUR"}}],
                 "total_money": {"amount": 270, "currency": "EUR"}}
                """.formatted(state, quantity);
    }

    private static String without(String json, String field) {
        ObjectNode node = (ObjectNode) tree(json);
        node.remove(field);
        return node.toString();
    }

    private static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static BigDecimal cents(long cents) {
        return BigDecimal.valueOf(cents).movePointLeft(2);
    }
}
