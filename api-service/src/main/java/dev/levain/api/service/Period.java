package dev.levain.api.service;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** A span of business days, {@code from} and {@code to} both included. */
public record Period(LocalDate from, LocalDate to) {

    public long days() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    public boolean contains(LocalDate date) {
        return !date.isBefore(from) && !date.isAfter(to);
    }

    /**
     * The period just before this one, to compare with: as many whole months when this one is whole
     * months (October against September), otherwise as many days.
     */
    public Period previous() {
        if (isWholeMonths()) {
            long months = ChronoUnit.MONTHS.between(from, to.plusDays(1));
            LocalDate start = from.minusMonths(months);
            return new Period(start, from.minusDays(1));
        }
        return new Period(from.minusDays(days()), from.minusDays(1));
    }

    /** The same dates one year earlier (29 February falls back to the 28th). */
    public Period sameTimeLastYear() {
        if (isWholeMonths()) {
            LocalDate start = from.minusYears(1);
            return new Period(start, to.plusDays(1).minusYears(1).minusDays(1));
        }
        return new Period(from.minusYears(1), to.minusYears(1));
    }

    /** Whether the period starts on a month's first day and ends on a month's last day. */
    public boolean isWholeMonths() {
        return from.getDayOfMonth() == 1 && to.plusDays(1).getDayOfMonth() == 1;
    }

    /** The buckets of {@code granularity} that overlap this period, each cut to the period. */
    public List<Period> buckets(Granularity granularity) {
        List<Period> buckets = new ArrayList<>();
        for (LocalDate start = granularity.start(from); !start.isAfter(to); start = granularity.next(start)) {
            LocalDate end = granularity.next(start).minusDays(1);
            buckets.add(new Period(start.isBefore(from) ? from : start, end.isAfter(to) ? to : end));
        }
        return buckets;
    }
}
