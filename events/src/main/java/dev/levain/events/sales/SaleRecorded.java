package dev.levain.events.sales;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * A sale as stored in the relational model, emitted on {@code levain.sales.recorded} after the
 * database commit. Emitted again when a duplicate is replayed: consumers dedupe on the
 * CloudEvents id, which is stable for one (source, sourceId, version, receivedAt).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SaleRecorded(
        long saleId,
        String source,
        String sourceId,
        long version,
        String storeCode,
        OffsetDateTime occurredAt,
        LocalDate businessDate,
        String status,
        String currency,
        BigDecimal gross,
        BigDecimal discount,
        BigDecimal net,
        int lineCount,
        Long customerId,
        OffsetDateTime receivedAt) {

    /** The entity key this event is partitioned by. */
    public String key() {
        return source + ":" + sourceId;
    }
}
