package dev.levain.normalize.mapping;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A sale in Levain's canonical form: standardized codes, exact money (2 decimals), totals
 * computed. Versions of one sale are ordered by {@code (version, receivedAt)}.
 *
 * <p>{@code gross} = Σ qty × unit price, {@code discount} = Σ line discounts, {@code net} =
 * gross − discount (before refunds; tax is never inside it), {@code tax} reported apart.
 * {@code status} is {@code completed} or {@code voided}; {@code channel} is {@code in_store} or
 * {@code delivery}; {@code customer} is null for an anonymous sale.
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
        String channel,
        CustomerRef customer,
        List<CanonicalSaleLine> lines,
        BigDecimal gross,
        BigDecimal discount,
        BigDecimal tax,
        BigDecimal net) implements CanonicalRecord {

    public static final String COMPLETED = "completed";
    public static final String VOIDED = "voided";
    public static final String IN_STORE = "in_store";
    public static final String DELIVERY = "delivery";
}
