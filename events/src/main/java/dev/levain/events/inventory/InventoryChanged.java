package dev.levain.events.inventory;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** The on-hand quantity of one product in one store changed; emitted on {@code levain.inventory.changed}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record InventoryChanged(
        String storeCode,
        String sku,
        BigDecimal onHand,
        BigDecimal reorderPoint,
        long version,
        OffsetDateTime asOf) {

    /** The entity key this event is partitioned by: sku + location. */
    public String key() {
        return sku + "@" + storeCode;
    }
}
