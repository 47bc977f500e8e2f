package dev.levain.normalize.mapping;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A catalog product: the master data that enriches products first seen in sales. Null fields
 * are unknown and leave the stored value as it is. Versions are ordered by (version, receivedAt),
 * the version being the catalog's update time in epoch milliseconds.
 */
public record CanonicalProduct(
        String source,
        String sku,
        String name,
        String category,
        BigDecimal price,
        BigDecimal unitCost,
        BigDecimal reorderPoint,
        long version,
        Instant receivedAt) implements CanonicalRecord {
}
