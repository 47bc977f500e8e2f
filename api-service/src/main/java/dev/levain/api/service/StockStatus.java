package dev.levain.api.service;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Stock status per product × store (DESIGN.md §4): out when on hand ≤ 0, low when on hand ≤ the reorder
 * point, ok otherwise (also when the product has no reorder point and some stock).
 */
public enum StockStatus {
    OK, LOW, OUT;

    public static StockStatus of(BigDecimal onHand, BigDecimal reorderPoint) {
        if (onHand.signum() <= 0) {
            return OUT;
        }
        if (reorderPoint != null && onHand.compareTo(reorderPoint) <= 0) {
            return LOW;
        }
        return OK;
    }

    /** The JSON and query-parameter spelling: ok, low, out. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The {@code status} parameter: absent, or ok, low or out in any case. */
    public static StockStatus parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("status", "must be ok, low or out, not " + value);
        }
    }
}
