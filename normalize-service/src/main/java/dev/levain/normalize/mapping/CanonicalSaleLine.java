package dev.levain.normalize.mapping;

import java.math.BigDecimal;

/** One line of a {@link CanonicalSale}; {@code net = qty × unitPrice − discount}. */
public record CanonicalSaleLine(
        int lineNo,
        String sku,
        String name,
        BigDecimal qty,
        BigDecimal unitPrice,
        BigDecimal discount,
        BigDecimal net) {
}
