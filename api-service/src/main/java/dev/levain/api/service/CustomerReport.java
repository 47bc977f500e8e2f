package dev.levain.api.service;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Customer KPIs of a period: in total (a customer active in two stores counts once), per store (with its
 * previous period and same period last year), per bucket of the granularity, and the total compared to the
 * previous period and to the same period last year.
 */
public record CustomerReport(
        LocalDate from,
        LocalDate to,
        String granularity,
        String timezone,
        List<String> stores,
        CustomerFigures total,
        List<StoreCustomers> byStore,
        List<Bucket> series,
        Comparison comparison,
        Freshness freshness) {

    /** One store over the whole period; new customers are those whose first sale anywhere was at this store. */
    public record StoreCustomers(String store, String name, CustomerFigures figures, CustomerFigures previousPeriod,
                                 CustomerFigures samePeriodLastYear) {
    }

    /**
     * One bucket (day, week or month, cut to the period): all stores, and each store. Retention compares it
     * with the whole calendar bucket before it, {@code previousStart}..{@code previousEnd}.
     */
    public record Bucket(LocalDate periodStart, LocalDate periodEnd, LocalDate previousStart, LocalDate previousEnd,
                         CustomerFigures total, Map<String, CustomerFigures> stores) {
    }

    /** The total against the previous period and the same period last year. */
    public record Comparison(Compared previousPeriod, Compared samePeriodLastYear) {
    }

    /**
     * Another period's total and the change of each figure against it, in percent of that period's value
     * (null where that value is zero or absent).
     */
    public record Compared(LocalDate from, LocalDate to, CustomerFigures total, Map<String, BigDecimal> changePercent) {
    }
}
