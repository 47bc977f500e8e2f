package dev.levain.api.repository;

import dev.levain.api.repository.CustomerDays.Day;
import dev.levain.api.service.CustomerActivity;
import dev.levain.api.service.CustomerCount;
import dev.levain.api.service.Granularity;
import dev.levain.api.service.Period;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.roaringbitmap.longlong.Roaring64NavigableMap;

/**
 * DESIGN.md §4's customer counts from the days' bitmaps ({@link CustomerDays}), per store and over all stores
 * (each customer once): distinct active customers, and customer activity: for a span of days and the span before
 * it, active customers (a completed sale in the span), repeat customers (two or more, on one day or several),
 * previously active (a sale in the span before) and retained (both).
 */
final class CustomerUnions {

    private CustomerUnions() {
    }

    /**
     * Distinct active customers per store and over all stores in the whole period (bucket null) and, when
     * {@code buckets}, in each bucket of {@code granularity} (keyed by its first day, cut to the period).
     */
    static List<CustomerCount> distinct(Map<Long, Map<LocalDate, Day>> days, long[] storeIds, Period period,
                                        Granularity granularity, boolean buckets) {
        List<CustomerCount> counts = new ArrayList<>();
        if (buckets) {
            for (Period bucket : period.buckets(granularity)) {
                distinct(counts, days, storeIds, granularity.start(bucket.from()), bucket);
            }
        }
        distinct(counts, days, storeIds, null, period);
        return counts;
    }

    private static void distinct(List<CustomerCount> counts, Map<Long, Map<LocalDate, Day>> days, long[] storeIds,
                                 LocalDate bucket, Period span) {
        Roaring64NavigableMap all = new Roaring64NavigableMap();
        for (long storeId : storeIds) {
            Map<LocalDate, Day> store = days.getOrDefault(storeId, Map.of());
            Roaring64NavigableMap one = new Roaring64NavigableMap();
            eachDay(store, span, day -> one.or(day.customers()));
            counts.add(new CustomerCount(storeId, bucket, one.getLongCardinality()));
            all.or(one);
        }
        counts.add(new CustomerCount(null, bucket, all.getLongCardinality()));
    }

    /**
     * The whole period against {@link Period#previous()} and, when {@code series}, each bucket of
     * {@code granularity} (cut to the period) against the whole calendar bucket before it.
     */
    static List<CustomerActivity> count(Map<Long, Map<LocalDate, Day>> days, long[] storeIds, Period period,
                                        Granularity granularity, boolean series) {
        List<CustomerActivity> rows = new ArrayList<>();
        if (series) {
            for (Period bucket : period.buckets(granularity)) {
                LocalDate start = granularity.start(bucket.from());
                Period before = new Period(granularity.start(start.minusDays(1)), start.minusDays(1));
                slot(rows, days, storeIds, false, start, bucket, before);
            }
        }
        slot(rows, days, storeIds, true, null, period, new Period(period.previous().from(), period.from().minusDays(1)));
        return rows;
    }

    private static void slot(List<CustomerActivity> rows, Map<Long, Map<LocalDate, Day>> days, long[] storeIds,
                             boolean whole, LocalDate bucket, Period current, Period before) {
        Counter all = new Counter();
        for (long storeId : storeIds) {
            Map<LocalDate, Day> store = days.getOrDefault(storeId, Map.of());
            Counter one = new Counter();
            eachDay(store, current, day -> {
                one.current(day);
                all.current(day);
            });
            eachDay(store, before, day -> {
                one.before(day);
                all.before(day);
            });
            rows.add(one.activity(whole, bucket, storeId));
        }
        rows.add(all.activity(whole, bucket, null));
    }

    private static void eachDay(Map<LocalDate, Day> store, Period span, Consumer<Day> action) {
        for (LocalDate date = span.from(); !date.isAfter(span.to()); date = date.plusDays(1)) {
            Day day = store.get(date);
            if (day != null) {
                action.accept(day);
            }
        }
    }

    /** Customers of the days given so far; every bitmap here is its own (the days' are shared). */
    private static final class Counter {

        private final Roaring64NavigableMap active = new Roaring64NavigableMap();
        private final Roaring64NavigableMap repeat = new Roaring64NavigableMap();
        private final Roaring64NavigableMap before = new Roaring64NavigableMap();

        void current(Day day) {
            Roaring64NavigableMap again = new Roaring64NavigableMap();
            again.or(day.customers());
            again.and(active);
            repeat.or(again);
            repeat.or(day.regulars());
            active.or(day.customers());
        }

        void before(Day day) {
            before.or(day.customers());
        }

        CustomerActivity activity(boolean whole, LocalDate bucket, Long storeId) {
            Roaring64NavigableMap retained = new Roaring64NavigableMap();
            retained.or(before);
            retained.and(active);
            return new CustomerActivity(whole, bucket, storeId, active.getLongCardinality(),
                    repeat.getLongCardinality(), before.getLongCardinality(), retained.getLongCardinality());
        }
    }
}
