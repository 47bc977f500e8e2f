package dev.levain.events;

/**
 * Reactive Messaging channel names. Each channel is bound to its topic, commit strategy and
 * failure strategy in the owning service's application.properties.
 */
public final class Channels {

    public static final String RAW_POS_OUT = "raw-pos-out";
    public static final String RAW_CRM_OUT = "raw-crm-out";
    public static final String RAW_INVENTORY_OUT = "raw-inventory-out";
    public static final String RAW_POS_IN = "raw-pos-in";
    public static final String RAW_POS_DLQ_OUT = "raw-pos-dlq-out";
    public static final String RAW_CRM_IN = "raw-crm-in";
    public static final String RAW_CRM_DLQ_OUT = "raw-crm-dlq-out";
    public static final String RAW_INVENTORY_IN = "raw-inventory-in";
    public static final String RAW_INVENTORY_DLQ_OUT = "raw-inventory-dlq-out";
    public static final String INVENTORY_CHANGED_OUT = "inventory-changed-out";
    public static final String SALES_RECORDED_OUT = "sales-recorded-out";
    public static final String SALES_RECORDED_IN = "sales-recorded-in";
    public static final String INVENTORY_CHANGED_IN = "inventory-changed-in";

    private Channels() {
    }
}
