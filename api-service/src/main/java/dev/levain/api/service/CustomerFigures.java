package dev.levain.api.service;

import java.math.BigDecimal;

/**
 * Customer KPIs of one slice (DESIGN.md §4): new customers (first completed sale at any store inside it,
 * merged customers left out), active customers (identified, ≥ 1 completed sale), previously active ones (in
 * the period or bucket just before), retained = previously active ∩ active, retention rate = retained /
 * previously active, repeat customers (≥ 2 completed sales) and repeat rate = repeat / active. Rates are
 * decimals to 4 places, null when their denominator is 0.
 */
public record CustomerFigures(
        long newCustomers,
        long activeCustomers,
        long previouslyActiveCustomers,
        long retainedCustomers,
        BigDecimal retentionRate,
        long repeatCustomers,
        BigDecimal repeatRate) {
}
