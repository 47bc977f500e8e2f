package dev.levain.normalize.mapping;

import static dev.levain.normalize.mapping.MappingFixtures.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levain.devstack.simulator.PanPanCatalog;
import dev.levain.devstack.simulator.inventory.InventorySimulator;
import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.normalize.service.RejectedEventException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryProductMapperTest {

    private final InventoryProductMapper mapper = new InventoryProductMapper();

    private CanonicalProduct map(String payload) {
        List<CanonicalRecord> records = mapper.map(envelope(EventTypes.RAW_INVENTORY_PRODUCT, payload));
        assertThat(records).hasSize(1);
        return (CanonicalProduct) records.get(0);
    }

    @Test
    void catalogProductAsTheInventoryApiServesItBecomesAProduct() {
        InventorySimulator inventory = InventorySimulator.start(new InventorySimulator.Options(0, "token", null, null));
        try {
            String json = inventory.productJson(PanPanCatalog.product("ECLAIR"));

            CanonicalProduct product = map(json);

            assertThat(product.source()).isEqualTo(Sources.INVENTORY);
            assertThat(product.sku()).isEqualTo("ECLAIR");
            assertThat(product.name()).isEqualTo("Éclair au café");
            assertThat(product.category()).isEqualTo("patisserie");
            assertThat(product.price()).isNull();
            assertThat(product.unitCost()).isEqualTo(new BigDecimal("1.05"));
            assertThat(product.reorderPoint()).isEqualTo(new BigDecimal("10"));
            assertThat(product.version()).isPositive();
            assertThat(product.receivedAt()).isEqualTo(MappingFixtures.RECEIVED_AT);
        } finally {
            inventory.close();
        }
    }

    @Test
    void everyFieldIsStandardized() {
        CanonicalProduct product = map("""
                {"sku": " tarte-citron ", "name": "  Tarte   au\\tcitron ", "category": " Pâtisserie ",
                 "price": "4.10", "unit_cost": 1.2, "reorder_point": 8, "updated_at": "2026-11-27T06:00:00+01:00"}
                """);

        assertThat(product).isEqualTo(new CanonicalProduct(Sources.INVENTORY, "TARTE-CITRON", "Tarte au citron",
                "Pâtisserie", new BigDecimal("4.10"), new BigDecimal("1.20"), new BigDecimal("8"),
                Instant.parse("2026-11-27T05:00:00Z").toEpochMilli(), MappingFixtures.RECEIVED_AT));
    }

    @Test
    void productWithOnlyItsSkuLeavesTheRestUnknown() {
        assertThat(map("{\"sku\": \"EAU\"}")).isEqualTo(new CanonicalProduct(Sources.INVENTORY, "EAU", null, null, null,
                null, null, 0, MappingFixtures.RECEIVED_AT));
    }

    @Test
    void badInputIsRejectedNamingTheField() {
        assertThatThrownBy(() -> map("{\"name\": \"Flan\"}"))
                .isInstanceOf(RejectedEventException.class)
                .hasMessage("sku is required");
        assertThatThrownBy(() -> map("{\"sku\": \"FLAN\", \"unit_cost\": -0.5}"))
                .hasMessage("unit_cost must be a non-negative amount below 10^12 with at most 2 decimals");
        assertThatThrownBy(() -> map("{\"sku\": \"FLAN\", \"price\": \"cheap\"}"))
                .hasMessage("price is not a number: cheap");
        assertThatThrownBy(() -> map("{\"sku\": \"FLAN\", \"reorder_point\": -1}"))
                .hasMessage("reorder_point must not be negative: -1");
        assertThatThrownBy(() -> map("{\"sku\": \"FLAN\", \"updated_at\": \"hier\"}"))
                .hasMessage("updated_at is not an ISO-8601 date-time with an offset: hier");
    }
}
