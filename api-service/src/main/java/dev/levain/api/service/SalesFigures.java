package dev.levain.api.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;

/**
 * Sales KPIs of one slice (DESIGN.md §4): gross = Σ qty × unit price; net sales = gross − discounts −
 * refunds (refunds on the day they were given); tax apart; transactions = completed sales; average
 * ticket = net sales / transactions (null without sales); customers = distinct identified customers
 * (absent where it cannot be split, per channel); COGS and gross margin (net − COGS) for admins only.
 */
public record SalesFigures(
        BigDecimal gross,
        BigDecimal discounts,
        BigDecimal refunds,
        BigDecimal netSales,
        BigDecimal tax,
        long transactions,
        BigDecimal averageTicket,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long customers,
        long anonymousTransactions,
        @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal cogs,
        @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal grossMargin) {
}
