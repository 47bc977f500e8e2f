package dev.levain.events.pos;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One sale in Levain's native POS format, the payload of {@code levain.raw.pos.sale} events.
 * {@code occurredAt} keeps the offset the terminal sent; money is in the store's currency.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PosSale(
        String storeCode,
        String saleId,
        OffsetDateTime occurredAt,
        String status,
        Long version,
        String currency,
        String customerEmail,
        List<PosSaleLine> lines) {

    public static final String STATUS_COMPLETED = "completed";
    public static final String STATUS_VOIDED = "voided";
}
