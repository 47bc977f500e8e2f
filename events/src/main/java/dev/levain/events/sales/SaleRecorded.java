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
 * {@code channel} is {@code in_store} or {@code delivery}; {@code refunded} is the sum of the
 * refunds applied to the sale so far (its {@code net} is before refunds).
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
        OffsetDateTime receivedAt,
        String channel,
        BigDecimal tax,
        BigDecimal refunded) {

    public static final String CHANNEL_IN_STORE = "in_store";
    public static final String CHANNEL_DELIVERY = "delivery";

    /** The entity key this event is partitioned by. */
    public String key() {
        return source + ":" + sourceId;
    }
}
