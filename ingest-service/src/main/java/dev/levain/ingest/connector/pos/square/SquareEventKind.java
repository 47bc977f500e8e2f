package dev.levain.ingest.connector.pos.square;

import dev.levain.events.Topics;

/** What Levain does with a Square notification type: which raw topic it goes to, and whether its order is fetched. */
public enum SquareEventKind {
    /** {@code order.*}, {@code payment.*}, {@code refund.*}: the notification plus the full order, on the POS topic. */
    ORDER(Topics.RAW_POS),
    /** {@code inventory.count.updated}. */
    INVENTORY(Topics.RAW_INVENTORY),
    /** {@code customer.*}. */
    CUSTOMER(Topics.RAW_CRM),
    /** Any other type: acknowledged so Square stops sending it, and counted, but not published. */
    UNSUPPORTED(null);

    private final String topic;

    SquareEventKind(String topic) {
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }

    public static SquareEventKind of(String type) {
        if (type.startsWith("order.") || type.startsWith("payment.") || type.startsWith("refund.")) {
            return ORDER;
        }
        if (type.equals("inventory.count.updated")) {
            return INVENTORY;
        }
        if (type.startsWith("customer.")) {
            return CUSTOMER;
        }
        return UNSUPPORTED;
    }
}
