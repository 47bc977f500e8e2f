package dev.levain.events;

import java.util.List;

/** Kafka topic names of the platform (DESIGN.md §2). */
public final class Topics {

    public static final String RAW_POS = "levain.raw.pos";
    public static final String RAW_CRM = "levain.raw.crm";
    public static final String RAW_INVENTORY = "levain.raw.inventory";
    public static final String INVENTORY_CHANGED = "levain.inventory.changed";
    public static final String SALES_RECORDED = "levain.sales.recorded";

    public static final List<String> RAW = List.of(RAW_POS, RAW_CRM, RAW_INVENTORY);

    /** Every topic the platform uses, dead-letter topics included. */
    public static final List<String> ALL = List.of(
            RAW_POS, RAW_CRM, RAW_INVENTORY,
            deadLetter(RAW_POS), deadLetter(RAW_CRM), deadLetter(RAW_INVENTORY),
            INVENTORY_CHANGED, SALES_RECORDED);

    private Topics() {
    }

    /** The dead-letter topic of a raw topic. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }
}
