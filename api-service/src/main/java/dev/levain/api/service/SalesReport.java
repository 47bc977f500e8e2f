package dev.levain.api.service;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Sales KPIs of a period: in total, per channel, per store (with each store's previous period and same
 * period last year), per bucket of the granularity, and the total compared to the previous period and to
 * the same period last year.
 */
public record SalesReport(
        LocalDate from,
        LocalDate to,
        String granularity,
        String timezone,
        String channel,
        String currency,
        List<String> stores,
        SalesFigures total,
        Map<String, SalesFigures> byChannel,
        List<StoreSales> byStore,
        List<Bucket> series,
        Comparison comparison,
        Freshness freshness) {

    /** One store over the whole period. */
    public record StoreSales(String store, String name, SalesFigures figures, Map<String, SalesFigures> byChannel,
                             SalesFigures previousPeriod, SalesFigures samePeriodLastYear) {
    }

    /** One bucket (day, week or month, cut to the period): all stores, and each store. */
    public record Bucket(LocalDate periodStart, LocalDate periodEnd, SalesFigures total, Map<String, SalesFigures> stores) {
    }

    /** The total against the previous period and the same period last year. */
    public record Comparison(Compared previousPeriod, Compared samePeriodLastYear) {
    }

    /**
     * Another period's total and the change of each figure against it, in percent of that period's value
     * (null where that value is zero or absent).
     */
    public record Compared(LocalDate from, LocalDate to, SalesFigures total, Map<String, BigDecimal> changePercent) {
    }
}
