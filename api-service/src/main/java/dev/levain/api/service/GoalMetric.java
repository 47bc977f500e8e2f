package dev.levain.api.service;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a goal measures, over a span of business days (DESIGN.md §4): net sales (over a month's baseline:
 * monthly revenue), average ticket, transactions, new customers, retention rate (in percent) and the average
 * inventory value, a cost that only admins see.
 */
public enum GoalMetric {
    NET_SALES(false),
    AVERAGE_TICKET(false),
    TRANSACTIONS(false),
    NEW_CUSTOMERS(false),
    RETENTION_RATE(false),
    INVENTORY_VALUE(true);

    private final boolean cost;

    GoalMetric(boolean cost) {
        this.cost = cost;
    }

    /** Whether the metric's values are costs, hidden from viewers. */
    public boolean isCost() {
        return cost;
    }

    /** The JSON spelling: net_sales, average_ticket, ... */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<GoalMetric> of(String code) {
        return Arrays.stream(values()).filter(metric -> metric.code().equals(code)).findFirst();
    }

    /** The known codes, for error messages. */
    public static String codes() {
        return Arrays.stream(values()).map(GoalMetric::code).collect(Collectors.joining(", "));
    }
}
