package dev.levain.api.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * One product at one store: on hand, reorder point, status (ok / low / out) and when it was counted;
 * for admins also the product's unit cost and the stock's value (on hand × unit cost).
 */
public record StockLevel(
        String sku,
        String name,
        String category,
        String store,
        BigDecimal onHand,
        BigDecimal reorderPoint,
        String status,
        OffsetDateTime asOf,
        @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal unitCost,
        @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal value) {
}
