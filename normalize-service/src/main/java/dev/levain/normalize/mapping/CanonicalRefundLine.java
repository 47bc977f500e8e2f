package dev.levain.normalize.mapping;

import java.math.BigDecimal;

/**
 * Units of one product given back with a {@link CanonicalRefund}, and the share of the refund's
 * amount (net of tax) they account for.
 */
public record CanonicalRefundLine(
        int lineNo,
        String sku,
        String name,
        BigDecimal qty,
        BigDecimal amount) {
}
