package dev.levain.api.service;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** How a period is cut into buckets: store-local business days, ISO weeks (from Monday) or calendar months. */
public enum Granularity {
    DAY, WEEK, MONTH;

    /** The first day of the bucket holding {@code date}. */
    public LocalDate start(LocalDate date) {
        switch (this) {
            case WEEK:
                return date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH:
                return date.withDayOfMonth(1);
            default:
                return date;
        }
    }

    /** The first day of the bucket after the one starting at {@code start}. */
    public LocalDate next(LocalDate start) {
        switch (this) {
            case WEEK:
                return start.plusWeeks(1);
            case MONTH:
                return start.plusMonths(1);
            default:
                return start.plusDays(1);
        }
    }

    /** The SQL {@code date_trunc} field of this granularity. */
    public String sqlField() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Granularity parse(String value) {
        if (value == null || value.isBlank()) {
            return DAY;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("granularity", "must be day, week or month, not " + value);
        }
    }
}
