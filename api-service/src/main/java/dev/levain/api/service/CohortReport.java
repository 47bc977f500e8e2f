package dev.levain.api.service;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

/**
 * Monthly acquisition cohorts over whole months {@code from}..{@code to}: for each month, the customers whose
 * first completed sale (at any store) was that month at one of the stores, and how many of them bought again
 * at those stores in each later month of the period.
 */
public record CohortReport(LocalDate from, LocalDate to, List<String> stores, List<Cohort> cohorts,
                           Freshness freshness) {

    /** The customers acquired in {@code month}, and their activity in each later month. */
    public record Cohort(YearMonth month, long customers, List<Activity> activity) {
    }

    /** How many of a cohort were active {@code monthsAfter} months after it: count and rate (4 places, null for an empty cohort). */
    public record Activity(YearMonth month, int monthsAfter, long activeCustomers, BigDecimal rate) {
    }
}
