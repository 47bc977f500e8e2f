package dev.levain.api.repository;

import dev.levain.api.repository.CustomerDays.Day;
import dev.levain.api.service.CohortActivity;
import dev.levain.api.service.CustomerActivity;
import dev.levain.api.service.CustomerCount;
import dev.levain.api.service.Granularity;
import dev.levain.api.service.Period;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;

/**
 * DESIGN.md §4's customer counts from the days' bitmaps ({@link CustomerDays}), per store and over all stores
 * (each customer once): distinct active customers, and customer activity: for a span of days and the span before
 * it, active customers (a completed sale in the span), repeat customers (two or more, on one day or several),
 * previously active (a sale in the span before) and retained (both).
 *
 * <p>Each day is read once per span it belongs to; the whole period is made of its buckets' unions and all stores
 * of each store's, never of the days again.
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
        List<Period> spans = buckets ? period.buckets(granularity) : List.of(period);
        List<CustomerCount> counts = new ArrayList<>();
        RoaringBitmap[] allOfSpan = fresh(spans.size());
        RoaringBitmap all = new RoaringBitmap();
        for (long storeId : storeIds) {
            Map<LocalDate, Day> store = days.getOrDefault(storeId, Map.of());
            RoaringBitmap whole = new RoaringBitmap();
            for (int i = 0; i < spans.size(); i++) {
                RoaringBitmap span = customers(store, spans.get(i));
                if (buckets) {
                    counts.add(new CustomerCount(storeId, granularity.start(spans.get(i).from()), span.getLongCardinality()));
                    allOfSpan[i].or(span);
                }
                whole.or(span);
            }
            counts.add(new CustomerCount(storeId, null, whole.getLongCardinality()));
            all.or(whole);
        }
        if (buckets) {
            for (int i = 0; i < spans.size(); i++) {
                counts.add(new CustomerCount(null, granularity.start(spans.get(i).from()), allOfSpan[i].getLongCardinality()));
            }
        }
        counts.add(new CustomerCount(null, null, all.getLongCardinality()));
        return counts;
    }

    /**
     * The whole period against {@link Period#previous()} and, when {@code series}, each bucket of
     * {@code granularity} (cut to the period) against the whole calendar bucket before it.
     */
    static List<CustomerActivity> count(Map<Long, Map<LocalDate, Day>> days, long[] storeIds, Period period,
                                        Granularity granularity, boolean series) {
        List<Period> buckets = series ? period.buckets(granularity) : List.of();
        Period previous = new Period(period.previous().from(), period.from().minusDays(1));
        List<CustomerActivity> rows = new ArrayList<>();
        Union[] allOfBucket = new Union[buckets.size()];
        RoaringBitmap[] allBeforeBucket = fresh(buckets.size());
        Union all = new Union();
        RoaringBitmap allBefore = new RoaringBitmap();
        for (int i = 0; i < buckets.size(); i++) {
            allOfBucket[i] = new Union();
        }
        for (long storeId : storeIds) {
            Map<LocalDate, Day> store = days.getOrDefault(storeId, Map.of());
            Union whole = new Union();
            for (int i = 0; i < buckets.size(); i++) {
                LocalDate start = granularity.start(buckets.get(i).from());
                Union bucket = union(store, buckets.get(i));
                RoaringBitmap before = customers(store,
                        new Period(granularity.start(start.minusDays(1)), start.minusDays(1)));
                rows.add(bucket.activity(false, start, storeId, before));
                whole.add(bucket);
                allOfBucket[i].add(bucket);
                allBeforeBucket[i].or(before);
            }
            if (!series) {
                whole = union(store, period);
            }
            RoaringBitmap before = customers(store, previous);
            rows.add(whole.activity(true, null, storeId, before));
            all.add(whole);
            allBefore.or(before);
        }
        for (int i = 0; i < buckets.size(); i++) {
            rows.add(allOfBucket[i].activity(false, granularity.start(buckets.get(i).from()), null, allBeforeBucket[i]));
        }
        rows.add(all.activity(true, null, null, allBefore));
        return rows;
    }

    /**
     * Monthly acquisition cohorts of the stores over {@code months} (whole months): each cohort's size (month
     * null) and, for each later month, how many of its customers bought at those stores then. A cohort is every
     * customer acquired at one of the stores in its month; its activity, the intersection with the month's union
     * of those stores' days.
     */
    static List<CohortActivity> cohorts(CustomerDays.WithAcquired days, long[] storeIds, Period months) {
        List<Period> spans = months.buckets(Granularity.MONTH);
        List<RoaringBitmap> cohorts = new ArrayList<>();
        List<RoaringBitmap> active = new ArrayList<>();
        for (Period month : spans) {
            List<RoaringBitmap> acquired = new ArrayList<>();
            List<RoaringBitmap> buyers = new ArrayList<>();
            for (long storeId : storeIds) {
                Map<LocalDate, CustomerDays.Acquired> store = days.acquired().getOrDefault(storeId, Map.of());
                Map<LocalDate, Day> bought = days.days().getOrDefault(storeId, Map.of());
                for (LocalDate date = month.from(); !date.isAfter(month.to()); date = date.plusDays(1)) {
                    CustomerDays.Acquired firsts = store.get(date);
                    if (firsts != null) {
                        acquired.add(firsts.customers());
                    }
                    Day day = bought.get(date);
                    if (day != null) {
                        buyers.add(day.customers());
                    }
                }
            }
            cohorts.add(acquired.isEmpty() ? new RoaringBitmap() : FastAggregation.or(acquired.iterator()));
            active.add(buyers.isEmpty() ? new RoaringBitmap() : FastAggregation.or(buyers.iterator()));
        }
        List<CohortActivity> rows = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            LocalDate cohort = spans.get(i).from();
            rows.add(new CohortActivity(cohort, null, cohorts.get(i).getLongCardinality()));
            for (int later = i + 1; later < spans.size(); later++) {
                long customers = RoaringBitmap.andCardinality(cohorts.get(i), active.get(later));
                if (customers > 0) {
                    rows.add(new CohortActivity(cohort, spans.get(later).from(), customers));
                }
            }
        }
        return rows;
    }

    /** The customers of a store's days in {@code span}: one union of them all. */
    private static RoaringBitmap customers(Map<LocalDate, Day> store, Period span) {
        List<RoaringBitmap> parts = new ArrayList<>();
        for (LocalDate date = span.from(); !date.isAfter(span.to()); date = date.plusDays(1)) {
            Day day = store.get(date);
            if (day != null) {
                parts.add(day.customers());
            }
        }
        return parts.isEmpty() ? new RoaringBitmap() : FastAggregation.or(parts.iterator());
    }

    /** The customers of a store's days in {@code span}, and those with two or more sales among them. */
    private static Union union(Map<LocalDate, Day> store, Period span) {
        Union union = new Union();
        for (LocalDate date = span.from(); !date.isAfter(span.to()); date = date.plusDays(1)) {
            Day day = store.get(date);
            if (day != null) {
                union.add(day.customers(), day.regulars());
            }
        }
        return union;
    }

    private static RoaringBitmap[] fresh(int size) {
        RoaringBitmap[] bitmaps = new RoaringBitmap[size];
        for (int i = 0; i < size; i++) {
            bitmaps[i] = new RoaringBitmap();
        }
        return bitmaps;
    }

    /**
     * Customers of some days (or of other unions) and those with two or more sales among them: one on each of
     * two parts, or two within one. Its bitmaps are its own; the days' are shared and only read.
     */
    private static final class Union {

        private final RoaringBitmap active = new RoaringBitmap();
        private final RoaringBitmap repeat = new RoaringBitmap();

        void add(RoaringBitmap customers, RoaringBitmap regulars) {
            repeat.or(RoaringBitmap.and(customers, active));
            repeat.or(regulars);
            active.or(customers);
        }

        void add(Union part) {
            add(part.active, part.repeat);
        }

        CustomerActivity activity(boolean whole, LocalDate bucket, Long storeId, RoaringBitmap before) {
            return new CustomerActivity(whole, bucket, storeId, active.getLongCardinality(),
                    repeat.getLongCardinality(), before.getLongCardinality(), RoaringBitmap.andCardinality(before, active));
        }
    }
}
