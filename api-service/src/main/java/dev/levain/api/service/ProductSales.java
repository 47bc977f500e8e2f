package dev.levain.api.service;

import java.math.BigDecimal;

/**
 * One product's sales over a period and stores, beside the net of all products there ({@code allNet}): net after
 * the refunds of its returned units ({@code returnedQty}, {@code refunds}).
 */
public record ProductSales(String sku, String name, String category, BigDecimal qty, BigDecimal gross, BigDecimal net,
                           BigDecimal cogs, long lines, BigDecimal allNet, BigDecimal returnedQty, BigDecimal refunds) {
}
