package dev.levain.api.service;

import java.math.BigDecimal;
import java.time.LocalDate;

/** Sales rollup of one store, bucket and channel, as read from the database. */
public record SalesRow(long storeId, LocalDate bucket, String channel, BigDecimal gross, BigDecimal discount,
                       BigDecimal refunds, BigDecimal net, BigDecimal tax, BigDecimal cogs, long transactions,
                       long anonymousTransactions) {
}
