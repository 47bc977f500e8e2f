package dev.levain.events;

/** CloudEvents {@code type} values. */
public final class EventTypes {

    public static final String RAW_POS_SALE = "levain.raw.pos.sale";
    public static final String SALE_RECORDED = "levain.sales.recorded";
    public static final String INVENTORY_CHANGED = "levain.inventory.changed";

    private EventTypes() {
    }
}
