package dev.levain.api.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.util.List;

/**
 * Stock levels per product × store: {@code levels} (only those of {@code status} when one was asked),
 * the {@code low} and {@code out} lists to highlight (whatever the filter), and how many products are
 * ok / low / out per store and in total; admins also see each store's stock value.
 */
public record InventoryLevels(
        List<String> stores,
        @JsonInclude(JsonInclude.Include.NON_NULL) String status,
        StatusCounts counts,
        List<StoreStock> byStore,
        List<StockLevel> levels,
        List<StockLevel> low,
        List<StockLevel> out,
        Freshness freshness) {

    /** How many products are ok, low and out. */
    public record StatusCounts(long ok, long low, long out) {
    }

    /** One store's counts and, for admins, the value of its stock (Σ on hand × unit cost, stock on hand > 0). */
    public record StoreStock(String store, String name, String currency, StatusCounts counts,
                             @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal inventoryValue) {
    }
}
