package dev.levain.api.service;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Adds up rollup rows of one slice (a store, a bucket, a channel, ...) before they become {@link SalesFigures}. */
final class SalesSums {

    private BigDecimal gross = BigDecimal.ZERO;
    private BigDecimal discounts = BigDecimal.ZERO;
    private BigDecimal refunds = BigDecimal.ZERO;
    private BigDecimal net = BigDecimal.ZERO;
    private BigDecimal tax = BigDecimal.ZERO;
    private BigDecimal cogs = BigDecimal.ZERO;
    private long transactions;
    private long anonymous;

    SalesSums add(SalesRow row) {
        gross = gross.add(row.gross());
        discounts = discounts.add(row.discount());
        refunds = refunds.add(row.refunds());
        net = net.add(row.net());
        tax = tax.add(row.tax());
        cogs = cogs.add(row.cogs());
        transactions += row.transactions();
        anonymous += row.anonymousTransactions();
        return this;
    }

    BigDecimal net() {
        return net;
    }

    /** The figures, with {@code customers} when known and costs only when {@code withCosts}. */
    SalesFigures figures(Long customers, boolean withCosts) {
        BigDecimal average = transactions == 0 ? null
                : net.divide(BigDecimal.valueOf(transactions), 2, RoundingMode.HALF_UP);
        return new SalesFigures(money(gross), money(discounts), money(refunds), money(net), money(tax), transactions,
                average, customers, anonymous, withCosts ? money(cogs) : null,
                withCosts ? money(net.subtract(cogs)) : null);
    }

    private static BigDecimal money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP);
    }
}
