package dev.levain.events.inventory;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.levain.events.EventIds;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * The stock of one product in one store as stored after a change, emitted on
 * {@code levain.inventory.changed} after the database commit (at least once: a replay emits the
 * same event again, with the same {@link #eventId()}).
 *
 * <p>{@code previousOnHand} is the level before this change (null for the first level seen);
 * {@code reorderPoint} is the product's from the catalog (null when unknown); {@code status} is
 * {@code ok}, {@code low} (on hand ≤ reorder point) or {@code out} (on hand ≤ 0). {@code version}
 * grows by one with every stored change of this product × store, and also when the catalog
 * changes the reorder point (then on hand equals previous on hand).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record InventoryChanged(
        String storeCode,
        String sku,
        String productName,
        BigDecimal onHand,
        BigDecimal previousOnHand,
        BigDecimal reorderPoint,
        String status,
        long version,
        OffsetDateTime asOf) {

    public static final String STATUS_OK = "ok";
    public static final String STATUS_LOW = "low";
    public static final String STATUS_OUT = "out";

    /** The entity key this event is partitioned by: sku + location. */
    public String key() {
        return sku + "@" + storeCode;
    }

    /** The CloudEvents id: one per stored version of this product × store. */
    public String eventId() {
        return EventIds.stableId("inventory-changed", storeCode, sku, Long.toString(version));
    }

    /** The stock status of {@code onHand} against {@code reorderPoint} (DESIGN.md §4). */
    public static String status(BigDecimal onHand, BigDecimal reorderPoint) {
        if (onHand.signum() <= 0) {
            return STATUS_OUT;
        }
        return reorderPoint != null && onHand.compareTo(reorderPoint) <= 0 ? STATUS_LOW : STATUS_OK;
    }
}
