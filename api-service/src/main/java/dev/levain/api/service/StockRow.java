package dev.levain.api.service;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** The current level of one product at one store, as read from the database. */
public record StockRow(long storeId, String sku, String name, String category, BigDecimal onHand,
                       BigDecimal reorderPoint, OffsetDateTime asOf, BigDecimal unitCost) {
}
