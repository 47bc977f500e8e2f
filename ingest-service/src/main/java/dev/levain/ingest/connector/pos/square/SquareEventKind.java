package dev.levain.ingest.connector.pos.square;

import dev.levain.ingest.config.Source;
import java.util.Optional;
import java.util.function.Predicate;

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
    /** Metrics reason of a type whose source this deployment does not serve. */
    static final String SOURCE_NOT_SERVED = "source-not-served";

    private final Source source;

    SquareEventKind(Source source) {
        this.source = source;
    }

    /** The raw topic of this kind, or null for {@link #UNSUPPORTED}. */
    public String topic() {
        return source == null ? null : source.topic();
    }

    /**
     * Why a deployment serving the sources {@code served} accepts yet does not publish a notification of this kind
     * (the metrics reason), or empty when it publishes it. A POS-only deployment must not feed the CRM or inventory
     * topics: another deployment owns those, and may be deliberately switched off.
     */
    public Optional<String> ignoredBy(Predicate<Source> served) {
        if (source == null) {
            return Optional.of(UNSUPPORTED_TYPE);
        }
        return served.test(source) ? Optional.empty() : Optional.of(SOURCE_NOT_SERVED);
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
