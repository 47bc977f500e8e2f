package dev.levain.api.service;

import java.time.LocalDate;
import java.util.List;

/** Today's sales of each store (its own business day, live), beside the same weekday a week earlier. */
public record TodaySales(List<StoreToday> stores, Freshness freshness) {

    /** One store's business day so far. */
    public record StoreToday(String store, String name, String timezone, String currency, LocalDate businessDate,
                             SalesFigures today, SalesFigures sameDayLastWeek) {
    }
}
