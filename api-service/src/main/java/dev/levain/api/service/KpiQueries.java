package dev.levain.api.service;

import dev.levain.api.config.ApiConfig;
import dev.levain.api.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Validates the common KPI parameters (store, from, to, granularity, timezone) into a {@link KpiQuery}. */
@ApplicationScoped
public class KpiQueries {

    private final ApiConfig config;
    private final StoreScope storeScope;

    public KpiQueries(ApiConfig config, StoreScope storeScope) {
        this.config = config;
        this.storeScope = storeScope;
    }

    public KpiQuery parse(Collection<String> store, String from, String to, String granularity, String timezone,
                          Caller caller) {
        Optional<ZoneId> zone = zone(timezone);
        List<Store> stores = storeScope.resolve(store, caller);
        Granularity cut = Granularity.parse(granularity);
        return new KpiQuery(stores, period(from, to, stores, zone), cut, zone);
    }

    /** The stores named in {@code store}, or all the caller may see. */
    public List<Store> stores(Collection<String> store, Caller caller) {
        return storeScope.resolve(store, caller);
    }

    /** The period of {@code from} and {@code to}; missing ends default to the last days up to today. */
    public Period period(String from, String to, List<Store> stores, Optional<ZoneId> zone) {
        LocalDate last = blank(to) ? today(stores, zone) : date("to", to);
        LocalDate first = blank(from) ? last.minusDays(config.defaultRangeDays() - 1L) : date("from", from);
        if (blank(to) && !blank(from) && last.isBefore(first)) {
            last = first;
        }
        if (last.isBefore(first)) {
            throw new InvalidQueryException("from", "must not be after to (" + first + " > " + last + ")");
        }
        Period period = new Period(first, last);
        if (period.days() > config.maxRangeDays()) {
            throw new InvalidQueryException("to", "the period covers " + period.days()
                    + " days; at most " + config.maxRangeDays() + " are allowed");
        }
        return period;
    }

    /** Today in the given zone, or in the first store's zone (the stores of one business share a region). */
    public static LocalDate today(List<Store> stores, Optional<ZoneId> zone) {
        ZoneId today = zone.orElse(stores.isEmpty() ? ZoneId.systemDefault() : stores.get(0).timezone());
        return LocalDate.now(today);
    }

    private static Optional<ZoneId> zone(String timezone) {
        if (blank(timezone) || timezone.trim().equalsIgnoreCase("store")) {
            return Optional.empty();
        }
        String id = timezone.trim();
        // Offsets (+05:00, UTC+5) mean the opposite in PostgreSQL's AT TIME ZONE; region ids mean the same in both.
        if (!ZoneId.getAvailableZoneIds().contains(id)) {
            throw new InvalidQueryException("timezone", "must be an IANA region time zone such as Europe/Paris or "
                    + "Asia/Karachi (or store), not " + timezone);
        }
        try {
            return Optional.of(ZoneId.of(id));
        } catch (DateTimeException e) {
            throw new InvalidQueryException("timezone", "must be an IANA time zone such as Europe/Paris, or store, not "
                    + timezone);
        }
    }

    /** The earliest and latest years a date parameter may name: business history, not the calendar's limits. */
    public static final int FIRST_YEAR = 1900;
    public static final int LAST_YEAR = 2200;

    public static LocalDate date(String parameter, String value) {
        LocalDate date;
        try {
            date = LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException(parameter, "must be an ISO date such as 2026-11-27, not " + value);
        }
        if (date.getYear() < FIRST_YEAR || date.getYear() > LAST_YEAR) {
            throw new InvalidQueryException(parameter, "must be between " + FIRST_YEAR + " and " + LAST_YEAR + ", not " + value);
        }
        return date;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
