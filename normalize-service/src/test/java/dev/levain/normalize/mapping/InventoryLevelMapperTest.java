package dev.levain.normalize.mapping;

import static dev.levain.normalize.mapping.MappingFixtures.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.levain.devstack.simulator.inventory.InventorySimulator;
import dev.levain.events.EventTypes;
import dev.levain.events.Sources;
import dev.levain.normalize.service.RejectedEventException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryLevelMapperTest {

    private static final OffsetDateTime AT = OffsetDateTime.parse("2026-11-27T08:15:30.5+01:00");

    private final InventoryLevelMapper mapper = new InventoryLevelMapper(MappingFixtures.stores());

    private List<CanonicalRecord> map(String payload) {
        return mapper.map(envelope(EventTypes.RAW_INVENTORY_LEVEL, payload));
    }

    @Test
    void jsonLevelAsTheInventoryApiServesItBecomesAStockLevel() {
        String json = new InventorySimulator.Level("CROISSANT", "PAR-BASTILLE", 87, AT).toJson();

        assertThat(map(json)).containsExactly(new CanonicalStockLevel(Sources.INVENTORY, "CROISSANT", "PAR-BASTILLE",
                new BigDecimal("87"), AT, MappingFixtures.RECEIVED_AT));
    }

    @Test
    void xmlLevelAsTheInventoryApiServesItBecomesTheSameStockLevel() {
        String xml = new InventorySimulator.Level("CROISSANT", "PAR-BASTILLE", 87, AT).toXml();

        assertThat(map(xml)).containsExactly(new CanonicalStockLevel(Sources.INVENTORY, "CROISSANT", "PAR-BASTILLE",
                new BigDecimal("87"), AT, MappingFixtures.RECEIVED_AT));
    }

    @Test
    void codesAreStandardizedAndLocationAliasesResolved() {
        List<CanonicalRecord> records = map("\uFEFF  <stockLevel sku=\" pain-choc \" location=\"l2montmartre\">"
                + "<onHand> 12.5 </onHand><updatedAt>2026-11-27T07:00:00Z</updatedAt><note>ignored</note></stockLevel>");

        assertThat(records).containsExactly(new CanonicalStockLevel(Sources.INVENTORY, "PAIN-CHOC", "PAR-MONTMARTRE",
                new BigDecimal("12.5"), OffsetDateTime.parse("2026-11-27T07:00:00Z"), MappingFixtures.RECEIVED_AT));
    }

    @Test
    void negativeAndZeroCountsAreKept() {
        assertThat(map("{\"sku\": \"FLAN\", \"location\": \"PAR-BASTILLE\", \"on_hand\": -3, \"updated_at\": \"2026-11-27T07:00:00Z\"}"))
                .singleElement().extracting(r -> ((CanonicalStockLevel) r).onHand()).isEqualTo(new BigDecimal("-3"));
        assertThat(map("<stockLevel sku=\"FLAN\" location=\"PAR-BASTILLE\"><onHand>0</onHand>"
                + "<updatedAt>2026-11-27T07:00:00Z</updatedAt></stockLevel>"))
                .singleElement().extracting(r -> ((CanonicalStockLevel) r).onHand()).isEqualTo(BigDecimal.ZERO);
    }

    @Test
    void xmlWithAnExternalEntityIsRefused() {
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE stockLevel [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                + "<stockLevel sku=\"A\" location=\"PAR-BASTILLE\"><onHand>&xxe;</onHand>"
                + "<updatedAt>2026-11-27T07:00:00Z</updatedAt></stockLevel>";

        assertThatThrownBy(() -> map(xxe))
                .isInstanceOf(RejectedEventException.class)
                .hasMessage("payload has a DOCTYPE declaration; DTDs and entities are refused");
    }

    @Test
    void xmlEntityExpansionBombIsRefused() {
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
                + "<stockLevel sku=\"&lol3;\" location=\"PAR-BASTILLE\"><onHand>1</onHand>"
                + "<updatedAt>2026-11-27T07:00:00Z</updatedAt></stockLevel>";

        assertThatThrownBy(() -> map(bomb)).isInstanceOf(RejectedEventException.class)
                .hasMessageContaining("DOCTYPE");
    }

    @Test
    void undeclaredEntityWithoutDoctypeIsRefused() {
        assertThatThrownBy(() -> map("<stockLevel sku=\"A\" location=\"PAR-BASTILLE\"><onHand>&xxe;</onHand>"
                + "<updatedAt>2026-11-27T07:00:00Z</updatedAt></stockLevel>"))
                .isInstanceOf(RejectedEventException.class);
    }

    @Test
    void badInputIsRejectedNamingTheField() {
        assertThatThrownBy(() -> map("{\"location\": \"PAR-BASTILLE\", \"on_hand\": 1, \"updated_at\": \"2026-11-27T07:00:00Z\"}"))
                .hasMessage("sku is required");
        assertThatThrownBy(() -> map("{\"sku\": \"A\", \"location\": \"PAR-BASTILLE\", \"on_hand\": \"lots\", \"updated_at\": \"2026-11-27T07:00:00Z\"}"))
                .hasMessage("on_hand is not a number: lots");
        assertThatThrownBy(() -> map("{\"sku\": \"A\", \"location\": \"PAR-BASTILLE\", \"on_hand\": 1.2345, \"updated_at\": \"2026-11-27T07:00:00Z\"}"))
                .hasMessage("on_hand must be below 10^11 in size, with at most 3 decimals");
        assertThatThrownBy(() -> map("{\"sku\": \"A\", \"location\": \"PAR-BASTILLE\", \"on_hand\": 1}"))
                .hasMessage("updated_at is required");
        assertThatThrownBy(() -> map("<stockLevel location=\"PAR-BASTILLE\"><onHand>1</onHand></stockLevel>"))
                .hasMessage("stockLevel/@sku is required");
        assertThatThrownBy(() -> map("<stockLevel sku=\"A\" location=\"PAR-BASTILLE\"><onHand>one</onHand>"
                + "<updatedAt>2026-11-27T07:00:00Z</updatedAt></stockLevel>"))
                .hasMessage("stockLevel/onHand is not a number: one");
        assertThatThrownBy(() -> map("<stockLevel sku=\"A\" location=\"PAR-BASTILLE\"><onHand>1</onHand></stockLevel>"))
                .hasMessage("stockLevel/updatedAt is required");
        assertThatThrownBy(() -> map("<stockLevels><stockLevel/></stockLevels>"))
                .hasMessage("payload must have the root element <stockLevel>, not <stockLevels>");
        assertThatThrownBy(() -> map("<stockLevel sku=\"A\"><onHand>1</stockLevel>"))
                .hasMessageStartingWith("payload is not well-formed XML");
        assertThatThrownBy(() -> map("sku=A;on_hand=1")).hasMessage("payload is neither a JSON stock level nor an XML <stockLevel>");
        assertThatThrownBy(() -> map("")).hasMessage("payload is neither a JSON stock level nor an XML <stockLevel>");
    }
}
