package dev.levain.alert.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.levain.events.Json;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A store's weekly opening hours as {@code core.store.opening_hours} holds them:
 * {@code {"mon":[["07:00","19:30"]], ..., "sun":[]}} in the store's local time; a close at or
 * before its open ends the next day; no hours at all (null) means always open.
 */
public final class OpeningHours {

    private static final TypeReference<Map<String, List<List<String>>>> SHAPE = new TypeReference<>() {
    };
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    private final Map<String, List<List<String>>> week;
    private final ZoneId zone;

    private OpeningHours(Map<String, List<List<String>>> week, ZoneId zone) {
        this.week = week;
        this.zone = zone;
    }

    public static OpeningHours parse(String json, String timezone) {
        try {
            return new OpeningHours(json == null ? null : Json.mapper().readValue(json, SHAPE), ZoneId.of(timezone));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Unreadable opening hours: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * When the store opened, if it is open at {@code now}; {@link Instant#MIN} for a store that is
     * always open; empty when it is closed.
     */
    public Optional<Instant> openSince(Instant now) {
        if (week == null) {
            return Optional.of(Instant.MIN);
        }
        ZonedDateTime local = now.atZone(zone);
        // Today's intervals, and yesterday's that run past midnight.
        for (LocalDate day : List.of(local.toLocalDate(), local.toLocalDate().minusDays(1))) {
            for (List<String> interval : week.getOrDefault(key(day.getDayOfWeek()), List.of())) {
                ZonedDateTime open = day.atTime(LocalTime.parse(interval.get(0))).atZone(zone);
                ZonedDateTime close = closing(day, interval.get(1), open);
                if (!local.isBefore(open) && local.isBefore(close)) {
                    return Optional.of(open.toInstant());
                }
            }
        }
        return Optional.empty();
    }

    private ZonedDateTime closing(LocalDate day, String close, ZonedDateTime open) {
        if ("24:00".equals(close)) {
            return day.plusDays(1).atStartOfDay(zone);
        }
        ZonedDateTime closing = day.atTime(LocalTime.parse(close)).atZone(zone);
        return closing.isAfter(open) ? closing : closing.plusDays(1);
    }

    private static String key(DayOfWeek day) {
        return DAYS.get(day.getValue() - 1);
    }
}
