package dev.levain.ingest.connector.pos.square;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where the Square reconciliation is, per location: the last business day reconciled in each location's own
 * time zone, written {@code L1BASTILLE=2026-11-27;L3DELIVERY=2026-11-26} (ids in order). One day per location
 * because locations turn to a new day at different instants: a single day, the latest, would make a location
 * behind the others skip its own previous day, and lose the orders of its last minutes before midnight.
 */
final class SquareReconcileCursor {

    private static final String BETWEEN_LOCATIONS = ";";
    private static final String BEFORE_DAY = "=";

    private final Map<String, LocalDate> days;

    private SquareReconcileCursor(Map<String, LocalDate> days) {
        this.days = Collections.unmodifiableMap(new TreeMap<>(days));
    }

    static SquareReconcileCursor of(Map<String, LocalDate> days) {
        return new SquareReconcileCursor(days);
    }

    /**
     * Reads a cursor. Anything else, such as the single date that earlier versions kept, reads as knowing no
     * location, so each one searches its previous day again once: a repeat costs only duplicates.
     */
    static SquareReconcileCursor parse(Optional<String> cursor) {
        Map<String, LocalDate> days = new TreeMap<>();
        for (String entry : cursor.orElse("").split(BETWEEN_LOCATIONS)) {
            int equals = entry.indexOf(BEFORE_DAY);
            if (equals <= 0) {
                continue;
            }
            try {
                days.put(entry.substring(0, equals), LocalDate.parse(entry.substring(equals + 1)));
            } catch (DateTimeParseException e) {
                // An unreadable day counts as unknown: that location re-checks its previous day.
            }
        }
        return new SquareReconcileCursor(days);
    }

    /**
     * The business days to search for {@code locationId} now that its local day is {@code today}: today, after
     * the day before when this is the location's first run of {@code today} (or its first run at all).
     */
    List<LocalDate> daysToSearch(String locationId, LocalDate today) {
        LocalDate last = days.get(locationId);
        return last == null || last.isBefore(today) ? List.of(today.minusDays(1), today) : List.of(today);
    }

    /**
     * Whether this cursor is later than {@code other}: no location at an earlier day, and one at a later day or
     * one {@code other} does not know. Two replicas' cursors can each be ahead on one location: neither is later.
     */
    boolean isAfter(SquareReconcileCursor other) {
        boolean ahead = false;
        for (Map.Entry<String, LocalDate> day : days.entrySet()) {
            LocalDate otherDay = other.days.get(day.getKey());
            if (otherDay != null && day.getValue().isBefore(otherDay)) {
                return false;
            }
            ahead |= otherDay == null || day.getValue().isAfter(otherDay);
        }
        return ahead;
    }

    @Override
    public String toString() {
        return days.entrySet().stream().map(e -> e.getKey() + BEFORE_DAY + e.getValue())
                .collect(Collectors.joining(BETWEEN_LOCATIONS));
    }
}
