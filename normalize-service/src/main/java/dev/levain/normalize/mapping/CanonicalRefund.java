package dev.levain.normalize.mapping;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Money given back on a sale, identified by (source, sourceId) and pointing at its sale by
 * (saleSource, saleSourceId); it may arrive before that sale. {@code status} is
 * {@code completed} (counts in net sales) or {@code pending}/{@code failed} (does not). Its
 * {@code lines} say which products were given back, when the source itemizes the return; their
 * amounts add up to the refund's.
 */
public record CanonicalRefund(
        String source,
        String sourceId,
        String saleSource,
        String saleSourceId,
        String storeCode,
        OffsetDateTime occurredAt,
        BigDecimal amount,
        String currency,
        String status,
        long version,
        Instant receivedAt,
        List<CanonicalRefundLine> lines) implements CanonicalRecord {

    public static final String COMPLETED = "completed";

    public CanonicalRefund {
        lines = List.copyOf(lines);
    }
}
