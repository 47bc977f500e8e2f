package dev.levain.api.repository;

import dev.levain.api.repository.CustomerDays.Day;
import dev.levain.api.service.CohortActivity;
import dev.levain.api.service.CustomerActivity;
import dev.levain.api.service.CustomerCount;
import dev.levain.api.service.Granularity;
import dev.levain.api.service.Period;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.roaringbitmap.BitSetUtil;
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

    /** Unions of days with ids up to this many use a bit per id (4 MiB at most); larger ids, bitmaps alone. */
    private static final long LARGEST_BIT_SET_ID = 1L << 25;

    private CustomerUnions() {
    }

    /**
     * Distinct active customers per store and over all stores in the whole period (bucket null) and, when
     * {@code buckets}, in each bucket of {@code granularity} (keyed by its first day, cut to the period).
     */
    static List<CustomerCount> distinct(Map<Long, Map<LocalDate, Day>> days, long[] storeIds, Period period,
                                        Granularity granularity, boolean buckets, Months months) {
        List<Period> spans = buckets ? period.buckets(granularity) : List.of(period);
        List<CustomerCount> counts = new ArrayList<>();
        List<List<RoaringBitmap>> allOfSpan = new ArrayList<>();
        spans.forEach(span -> allOfSpan.add(new ArrayList<>()));
        List<RoaringBitmap> wholes = new ArrayList<>();
        for (long storeId : storeIds) {
            Map<LocalDate, Day> store = days.getOrDefault(storeId, Map.of());
            List<RoaringBitmap> parts = new ArrayList<>();
            for (int i = 0; i < spans.size(); i++) {
                RoaringBitmap span = customers(storeId, store, spans.get(i), months);
                if (buckets) {
                    counts.add(new CustomerCount(storeId, granularity.start(spans.get(i).from()), span.getLongCardinality()));
                    allOfSpan.get(i).add(span);
                }
                parts.add(span);
            }
            RoaringBitmap whole = or(parts);
            counts.add(new CustomerCount(storeId, null, whole.getLongCardinality()));
            wholes.add(whole);
        }
        if (buckets) {
            for (int i = 0; i < spans.size(); i++) {
                counts.add(new CustomerCount(null, granularity.start(spans.get(i).from()), or(allOfSpan.get(i)).getLongCardinality()));
            }
        }
        counts.add(new CustomerCount(null, null, or(wholes).getLongCardinality()));
        return counts;
    }

    /**
     * The whole period against {@link Period#previous()} and, when {@code series}, each bucket of
     * {@code granularity} (cut to the period) against the whole calendar bucket before it.
     */
    static List<CustomerActivity> count(Map<Long, Map<LocalDate, Day>> days, long[] storeIds, Period period,
                                        Granularity granularity, boolean series, Months months) {
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
                Union bucket = union(storeId, store, buckets.get(i), months);
                RoaringBitmap before = customers(storeId, store,
                        new Period(granularity.start(start.minusDays(1)), start.minusDays(1)), months);
                rows.add(bucket.activity(false, start, storeId, before));
                whole.add(bucket);
                allOfBucket[i].add(bucket);
                allBeforeBucket[i].or(before);
            }
            if (!series) {
                whole = union(storeId, store, period, months);
            }
            RoaringBitmap before = customers(storeId, store, previous, months);
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
     * Monthly acquisition cohorts of the stores over {@code period} (whole months): each cohort's size (month
     * null) and, for each later month, how many of its customers bought at those stores then. A cohort is every
     * customer acquired at one of the stores in its month; its activity, the intersection with the month's union
     * of those stores' days.
     */
    static List<CohortActivity> cohorts(CustomerDays.WithAcquired days, long[] storeIds, Period period,
                                        Months months) {
        List<Period> spans = period.buckets(Granularity.MONTH);
        List<RoaringBitmap> cohorts = new ArrayList<>();
        List<RoaringBitmap> active = new ArrayList<>();
        for (Period month : spans) {
            List<RoaringBitmap> acquired = new ArrayList<>();
            List<RoaringBitmap> buyers = new ArrayList<>();
            for (long storeId : storeIds) {
                Map<LocalDate, CustomerDays.Acquired> store = days.acquired().getOrDefault(storeId, Map.of());
                for (LocalDate date = month.from(); !date.isAfter(month.to()); date = date.plusDays(1)) {
                    CustomerDays.Acquired firsts = store.get(date);
                    if (firsts != null) {
                        acquired.add(firsts.customers());
                    }
                }
                buyers.add(customers(storeId, days.days().getOrDefault(storeId, Map.of()), month, months));
            }
            cohorts.add(or(acquired));
            active.add(or(buyers));
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

    /**
     * The customers of a store's days in {@code span}: one union of them all, whole calendar months taken from
     * {@code months}. Shared with {@code months}: read it, never change it.
     */
    private static RoaringBitmap customers(long storeId, Map<LocalDate, Day> store, Period span, Months months) {
        List<RoaringBitmap> parts = new ArrayList<>();
        for (Period piece : span.buckets(Granularity.MONTH)) {
            if (months.whole(piece)) {
                parts.add(months.of(storeId, store, piece).active);
                continue;
            }
            for (LocalDate date = piece.from(); !date.isAfter(piece.to()); date = date.plusDays(1)) {
                Day day = store.get(date);
                if (day != null) {
                    parts.add(day.customers());
                }
            }
        }
        return or(parts);
    }

    /**
     * The customers of a store's days in {@code span}, and those with two or more sales among them; whole calendar
     * months taken from {@code months}. Its own: the caller may add to it.
     */
    private static Union union(long storeId, Map<LocalDate, Day> store, Period span, Months months) {
        Union union = new Union();
        for (Period piece : span.buckets(Granularity.MONTH)) {
            union.add(months.whole(piece) ? months.of(storeId, store, piece) : days(store, piece));
        }
        return union;
    }

    /**
     * The union of a store's days in {@code span}: one pass over each day's ids with a bit per customer id (seen
     * once, seen again), where adding day after day into a growing bitmap would merge the whole union again each
     * day. Customer ids are dense (a sequence): the bits span the largest id of the days.
     */
    private static Union days(Map<LocalDate, Day> store, Period span) {
        List<Day> days = new ArrayList<>();
        long largest = -1;
        for (LocalDate date = span.from(); !date.isAfter(span.to()); date = date.plusDays(1)) {
            Day day = store.get(date);
            if (day != null) {
                days.add(day);
                largest = Math.max(largest, day.customers().last() & 0xFFFF_FFFFL);
            }
        }
        Union union = new Union();
        if (days.size() < 2 || largest > LARGEST_BIT_SET_ID) {
            days.forEach(day -> union.add(day.customers(), day.regulars()));
            return union;
        }
        BitSet seen = new BitSet((int) largest + 1);
        BitSet again = new BitSet((int) largest + 1);
        for (Day day : days) {
            day.customers().forEach((int id) -> {
                if (seen.get(id)) {
                    again.set(id);
                } else {
                    seen.set(id);
                }
            });
            day.regulars().forEach((int id) -> again.set(id));
        }
        union.active.or(BitSetUtil.bitmapOf(seen));
        union.repeat.or(BitSetUtil.bitmapOf(again));
        return union;
    }

    /**
     * Whole calendar months' unions of one store's days, each kept while every day of its month is at the version
     * it was made of (every read has the versions of its days at hand): a month's union is made once, not once per
     * request. One instance per application (it belongs to {@link CustomerDays}); thread-safe.
     */
    static final class Months {

        private record Key(long storeId, LocalDate month) {
        }

        /** A month's union and the version of each of its days it was made of (0: no customers that day). */
        private record Kept(long[] versions, Union union) {
        }

        private final Map<Key, Kept> kept = new ConcurrentHashMap<>();
        private final int capacity;

        Months(int capacity) {
            this.capacity = capacity;
        }

        boolean whole(Period piece) {
            return piece.from().getDayOfMonth() == 1 && piece.to().equals(piece.from().plusMonths(1).minusDays(1));
        }

        /** The union of the store's days in {@code month} (a whole calendar month), as {@code store} has them. */
        Union of(long storeId, Map<LocalDate, Day> store, Period month) {
            long[] versions = new long[(int) month.days()];
            for (int i = 0; i < versions.length; i++) {
                Day day = store.get(month.from().plusDays(i));
                versions[i] = day == null ? 0 : day.version();
            }
            Key key = new Key(storeId, month.from());
            Kept current = kept.get(key);
            if (current != null && Arrays.equals(current.versions(), versions)) {
                return current.union();
            }
            Union union = days(store, month);
            if (kept.size() >= capacity) {
                kept.clear();
            }
            kept.put(key, new Kept(versions, union));
            return union;
        }
    }

    /** One union of several bitmaps at once (bitmap containers throughout, not one merge after another). */
    private static RoaringBitmap or(List<RoaringBitmap> bitmaps) {
        return bitmaps.isEmpty() ? new RoaringBitmap() : FastAggregation.or(bitmaps.iterator());
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
     * two parts, or two within one. Its bitmaps are its own; the days' are shared and only read. One kept by
     * {@link Months} is shared too: only read (added to another union).
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
