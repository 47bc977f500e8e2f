package dev.levain.normalize.mapping;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;

/** The counted on-hand quantity of one product in one store at {@code asOf}; levels are ordered by (asOf, receivedAt). */
public record CanonicalStockLevel(
        String source,
        String sku,
        String storeCode,
        BigDecimal onHand,
        OffsetDateTime asOf,
        Instant receivedAt) implements CanonicalRecord {
}
