package dev.levain.api.service;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Sales KPIs of one store on one store-local business day (DESIGN.md §4): completed sales only;
 * {@code averageTicket = netSales / transactions}, absent on a day without sales.
 */
public record DailySales(
        String store,
        LocalDate businessDate,
        String currency,
        BigDecimal netSales,
        long transactions,
        BigDecimal averageTicket) {
}
