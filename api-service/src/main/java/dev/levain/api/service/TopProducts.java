package dev.levain.api.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The best-selling products of a period and stores, ranked by net sales or quantity: quantity sold, units
 * returned, gross (Σ qty × unit price), refunds of its returned units, net (gross − line discounts − those
 * refunds), sale lines and share of the net of all products; COGS and gross margin (net − COGS) for admins only.
 */
public record TopProducts(LocalDate from, LocalDate to, String by, int limit, String currency, List<String> stores,
                          BigDecimal allProductsNet, List<TopProduct> products, Freshness freshness) {

    /** One product, {@code rank} 1 being the best. */
    public record TopProduct(
            int rank,
            String sku,
            String name,
            String category,
            BigDecimal qty,
            BigDecimal returnedQty,
            BigDecimal gross,
            BigDecimal refunds,
            BigDecimal net,
            long lines,
            BigDecimal shareOfNet,
            @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal cogs,
            @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal grossMargin) {
    }
}
