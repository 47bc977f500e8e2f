package dev.levain.ingest.connector.pos.square;

import dev.levain.ingest.config.Source;
import java.util.Optional;

/**
 * What Levain does with a Square notification type: which source (and so raw topic) it belongs to, and whether
 * its order is fetched.
 */
public enum SquareEventKind {
    /** {@code order.*}, {@code payment.*}, {@code refund.*}: the notification plus the full order, on the POS topic. */
    ORDER(Source.POS),
    /** {@code inventory.count.updated}. */
    INVENTORY(Source.INVENTORY),
    /** {@code customer.*}. */
    CUSTOMER(Source.CRM),
    /** Any other type: acknowledged so Square stops sending it, and counted, but not published. */
    UNSUPPORTED(null);

    /** Metrics reason of a type Levain does not use. */
    static final String UNSUPPORTED_TYPE = "unsupported-type";

    private final Source source;

    SquareEventKind(Source source) {
        this.source = source;
    }

    /** The raw topic of this kind, or null for {@link #UNSUPPORTED}. */
    public String topic() {
        return source == null ? null : source.topic();
    }

    /**
     * Why a notification of this kind is acknowledged without being published (the metrics reason), or empty when
     * it is published. Every kind Levain uses is published on its own source's topic by whichever deployment takes
     * Square's webhooks, whatever sources it serves otherwise: Square sends all the types of a subscription to its
     * one URL, and never sends again a notification that was answered 200.
     */
    public Optional<String> ignoredReason() {
        return source == null ? Optional.of(UNSUPPORTED_TYPE) : Optional.empty();
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
