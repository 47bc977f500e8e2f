package dev.levain.normalize.mapping;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A sale in Levain's canonical form: standardized codes, exact money, totals computed. Versions
 * of one sale are ordered by {@code (version, receivedAt)}.
 */
public record CanonicalSale(
        String source,
        String sourceId,
        String storeCode,
        OffsetDateTime occurredAt,
        String status,
        long version,
        Instant receivedAt,
        String currency,
        String customerEmail,
        List<CanonicalSaleLine> lines,
        BigDecimal gross,
        BigDecimal discount,
        BigDecimal net) {
}
