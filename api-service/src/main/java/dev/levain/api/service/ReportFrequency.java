package dev.levain.api.service;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;

/** How often a recipient gets the sales report: each covers the last whole day, week (Monday to Sunday) or month. */
public enum ReportFrequency {
    DAILY, WEEKLY, MONTHLY;

    /** The last whole period of this frequency that ended before {@code day}. */
    public Period lastEndedBefore(LocalDate day) {
        return switch (this) {
            case DAILY -> new Period(day.minusDays(1), day.minusDays(1));
            case WEEKLY -> {
                LocalDate monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(1);
                yield new Period(monday, monday.plusDays(6));
            }
            case MONTHLY -> {
                LocalDate first = day.withDayOfMonth(1).minusMonths(1);
                yield new Period(first, first.plusMonths(1).minusDays(1));
            }
        };
    }

    /** The period of this frequency that holds {@code day}. */
    public Period containing(LocalDate day) {
        return lastEndedBefore(switch (this) {
            case DAILY -> day.plusDays(1);
            case WEEKLY -> day.plusWeeks(1);
            case MONTHLY -> day.plusMonths(1);
        });
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The frequency named {@code value} (any case); empty for anything else. */
    public static Optional<ReportFrequency> parse(String value) {
        for (ReportFrequency frequency : values()) {
            if (frequency.code().equalsIgnoreCase(value.trim())) {
                return Optional.of(frequency);
            }
        }
        return Optional.empty();
    }
}
