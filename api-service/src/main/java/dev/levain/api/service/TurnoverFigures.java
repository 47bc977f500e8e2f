package dev.levain.api.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;

/**
 * Inventory turnover of one slice over a period (DESIGN.md §4): COGS = Σ qty sold × unit cost at the time of
 * sale; average inventory value = mean over the period's days of the closing on-hand × the product's current
 * unit cost; turnover = COGS / average inventory value; days of inventory = average inventory value / (COGS
 * per day). The ratios are null when their divisor is 0; COGS and the value are for admins only.
 */
public record TurnoverFigures(
        @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal cogs,
        @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal averageInventoryValue,
        BigDecimal turnover,
        BigDecimal daysOfInventory) {
}
