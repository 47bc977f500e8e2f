package dev.levain.api.service;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Inventory turnover and days of inventory of a period, per store and in total, beside the previous period
 * (the change of each figure in percent of the previous value; null where that value is 0 or absent).
 */
public record InventoryTurnover(
        LocalDate from,
        LocalDate to,
        long days,
        String currency,
        List<String> stores,
        TurnoverFigures total,
        List<StoreTurnover> byStore,
        Compared previousPeriod,
        Products products,
        Freshness freshness) {

    /**
     * The products of the chosen stores that turn slowest (dead stock first) and fastest over the period, among
     * those with stock value in it.
     */
    public record Products(List<ProductTurnover> slowest, List<ProductTurnover> fastest) {
    }

    /** One product over the period, all chosen stores together. */
    public record ProductTurnover(String sku, String name, TurnoverFigures figures) {
    }

    /** One store over the period, and over the previous period. */
    public record StoreTurnover(String store, String name, TurnoverFigures figures, TurnoverFigures previousPeriod) {
    }

    /** The total of the previous period and the change of each figure against it. */
    public record Compared(LocalDate from, LocalDate to, TurnoverFigures total, Map<String, BigDecimal> changePercent) {
    }
}
