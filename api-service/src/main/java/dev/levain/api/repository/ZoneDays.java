package dev.levain.api.repository;

import dev.levain.api.service.CustomerCount;
import dev.levain.api.service.Granularity;
import dev.levain.api.service.Period;
import dev.levain.api.service.SalesRow;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.roaringbitmap.RoaringBitmap;

/**
 * Days of a time zone other than the stores' own, made of the quarter hours of the stores' days
 * ({@link StoreDaySlots}): a sale belongs to the day of the zone its instant falls on (DESIGN.md §4), and when the
 * zone's offsets and their changes are whole quarter hours, every instant of a quarter hour falls on the same day of
 * it. A zone's day draws on the stores' days up to two away (no two zones are more than 26 hours apart); once made,
 * it is kept with the versions of those days and made again only when one of them changes, so a request adds up
 * made days, as one in the stores' own days adds up rollup rows. Thread-safe; one per application.
 */
@ApplicationScoped
public class ZoneDays {

    /** How far a zone's day reaches into the stores' days on either side. */
    static final int STORE_DAYS_AROUND = 2;
    private static final int SOURCES = 2 * STORE_DAYS_AROUND + 1;
    /** Stale days of a zone made at once (each reads the store days around it). */
    private static final int MADE_AT_ONCE = 31;
    /** Zones whose whole months' customer unions are kept at once. */
    private static final int ZONES_WITH_MONTHS = 8;

    private record ZoneKey(String zone, long storeId, LocalDate date) {
    }

    /** A zone's day at one store: its sums per channel (see {@link #sum}), made of the store days at {@code sources}. */
    private record MadeSales(long[] sources, Map<String, long[]> channels) {
    }

    /**
     * A zone's day at one store: its customers, and how many made their first purchase at the store that day, made of
     * the store days at {@code sources}.
     */
    private record MadeCustomers(long[] sources, CustomerDays.Day day, long acquired) {
    }

    /** Versions of the customer days made here: unique, so kept unions of them ({@link #months}) see every change. */
    private final AtomicLong made = new AtomicLong();
    private final AgroalDataSource dataSource;
    private final int capacity;
    private final VersionedDays<StoreDaySlots.Sales> storeSales;
    private final VersionedDays<StoreDaySlots.Customers> storeCustomers;
    private final Map<ZoneKey, MadeSales> sales = new ConcurrentHashMap<>();
    private final Map<ZoneKey, MadeCustomers> customers = new ConcurrentHashMap<>();
    private final Map<String, CustomerUnions.Months> months = new ConcurrentHashMap<>();

    public ZoneDays(AgroalDataSource dataSource,
                    @ConfigProperty(name = "levain.api.zone-days.capacity", defaultValue = "8000") int capacity,
                    @ConfigProperty(name = "levain.api.zone-days.store-days", defaultValue = "400") int storeDays) {
        this.dataSource = dataSource;
        this.capacity = capacity;
        this.storeSales = StoreDaySlots.sales(storeDays);
        this.storeCustomers = StoreDaySlots.customers(storeDays);
    }

    /**
     * Whether each day of {@code zone} from {@code from} to {@code to} begins on a quarter hour of UTC: every offset
     * the zone has then, and every instant it changes, are whole quarter hours (all zones in use today; not some
     * historical local mean times, which a caller reads otherwise).
     */
    public static boolean ofWholeSlots(ZoneId zone, LocalDate from, LocalDate to) {
        ZoneRules rules = zone.getRules();
        Instant start = from.minusDays(STORE_DAYS_AROUND).atStartOfDay(zone).toInstant();
        Instant end = to.plusDays(STORE_DAYS_AROUND + 1L).atStartOfDay(zone).toInstant();
        if (rules.getOffset(start).getTotalSeconds() % StoreDaySlots.SLOT_SECONDS != 0) {
            return false;
        }
        for (ZoneOffsetTransition change = rules.nextTransition(start);
             change != null && change.getInstant().isBefore(end); change = rules.nextTransition(change.getInstant())) {
            if (change.getInstant().getEpochSecond() % StoreDaySlots.SLOT_SECONDS != 0
                    || change.getOffsetAfter().getTotalSeconds() % StoreDaySlots.SLOT_SECONDS != 0) {
                return false;
            }
        }
        return true;
    }

    /** Sales per store, bucket (first day of {@code granularity}) and channel of the zone's days in {@code period}. */
    public List<SalesRow> sales(long[] storeIds, Period period, ZoneId zone, Granularity granularity,
                                Optional<String> channel) {
        Map<Long, Map<LocalDate, MadeSales>> days = VersionedDays.inSnapshot(dataSource, "Cannot read the sales of the days",
                connection -> made(connection, storeSales, sales, MadeSales::sources, storeIds, period, zone,
                        ZoneDays::makeSales));
        record Key(long storeId, LocalDate bucket, String channel) {
        }
        Map<Key, long[]> sums = new LinkedHashMap<>();
        days.forEach((storeId, store) -> store.forEach((date, day) -> day.channels().forEach((name, figures) -> {
            if (channel.isEmpty() || channel.get().equals(name)) {
                add(sums.computeIfAbsent(new Key(storeId, granularity.start(date), name), key -> new long[SUMS]), figures);
            }
        })));
        List<SalesRow> rows = new ArrayList<>(sums.size());
        sums.forEach((key, sum) -> rows.add(new SalesRow(key.storeId(), key.bucket(), key.channel(),
                money(sum[StoreDaySlots.GROSS]), money(sum[StoreDaySlots.DISCOUNT]), money(sum[StoreDaySlots.REFUNDS]),
                money(sum[StoreDaySlots.NET]), money(sum[StoreDaySlots.TAX]), money(sum[StoreDaySlots.COGS]),
                sum[TRANSACTIONS], sum[ANONYMOUS])));
        return rows;
    }

    /**
     * Each store's customers of each day of the zone in {@code period}, as {@link CustomerUnions} takes days (with
     * {@link #months} for the same zone): those with a completed sale at the store that day, and those with two or more.
     */
    public Map<Long, Map<LocalDate, CustomerDays.Day>> customers(long[] storeIds, Period period, ZoneId zone) {
        Map<Long, Map<LocalDate, MadeCustomers>> days = madeCustomers(storeIds, period, zone);
        Map<Long, Map<LocalDate, CustomerDays.Day>> result = new HashMap<>();
        days.forEach((storeId, store) -> {
            Map<LocalDate, CustomerDays.Day> byDate = new HashMap<>();
            store.forEach((date, day) -> {
                if (day.day().count() > 0) {
                    byDate.put(date, day.day());
                }
            });
            result.put(storeId, byDate);
        });
        return result;
    }

    /**
     * New customers (first completed purchase at any store) on the zone's days in {@code period}, attributed to the
     * store of that purchase: per store and bucket, per bucket (when {@code buckets}), per store and in total. A
     * customer is acquired once, so these are sums.
     */
    public List<CustomerCount> newCustomers(long[] storeIds, Period period, ZoneId zone, Granularity granularity,
                                            boolean buckets) {
        Map<Long, Map<LocalDate, MadeCustomers>> days = madeCustomers(storeIds, period, zone);
        record Key(Long storeId, LocalDate bucket) {
        }
        Map<Key, Long> counts = new LinkedHashMap<>();
        days.forEach((storeId, store) -> store.forEach((date, day) -> {
            LocalDate bucket = granularity.start(date);
            for (Key key : buckets ? List.of(new Key(storeId, bucket), new Key(null, bucket), new Key(storeId, null),
                    new Key(null, null)) : List.of(new Key(storeId, null), new Key(null, null))) {
                counts.merge(key, day.acquired(), Long::sum);
            }
        }));
        List<CustomerCount> rows = new ArrayList<>(counts.size());
        counts.forEach((key, count) -> rows.add(new CustomerCount(key.storeId(), key.bucket(), count)));
        return rows;
    }

    /** The zone's customer days of the stores in {@code period}, as one snapshot sees their store days. */
    private Map<Long, Map<LocalDate, MadeCustomers>> madeCustomers(long[] storeIds, Period period, ZoneId zone) {
        return VersionedDays.inSnapshot(dataSource, "Cannot read the customers of the days", connection -> made(
                connection, storeCustomers, customers, MadeCustomers::sources, storeIds, period, zone, this::makeCustomers));
    }

    /** The whole months' unions of {@code zone}'s customer days ({@link #customers}). */
    CustomerUnions.Months months(ZoneId zone) {
        if (months.size() >= ZONES_WITH_MONTHS && !months.containsKey(zone.getId())) {
            months.clear();
        }
        return months.computeIfAbsent(zone.getId(), id -> new CustomerUnions.Months(Math.max(1, capacity / 30)));
    }

    @FunctionalInterface
    private interface Maker<R, M> {
        /** The zone's day {@code date} of one store, of its store days around it ({@code around[i]}: null without any). */
        M make(ZoneId zone, LocalDate date, long[] sources, List<R> around);
    }

    /**
     * The made days of the stores in {@code period}: those kept at the current versions of their store days, the
     * others made again of the store days (read in the same snapshot) and kept. A zone's day without any store day
     * around it is absent.
     */
    private <R, M> Map<Long, Map<LocalDate, M>> made(Connection connection, VersionedDays<R> storeDays,
                                                     Map<ZoneKey, M> kept, Function<M, long[]> sourcesOf,
                                                     long[] storeIds, Period period, ZoneId zone, Maker<R, M> maker)
            throws SQLException {
        Map<VersionedDays.Key, Long> versions = storeDays.versions(connection, storeIds,
                period.from().minusDays(STORE_DAYS_AROUND), period.to().plusDays(STORE_DAYS_AROUND));
        Map<Long, Map<LocalDate, M>> days = new HashMap<>();
        Map<ZoneKey, long[]> stale = new LinkedHashMap<>();
        for (long storeId : storeIds) {
            Map<LocalDate, M> store = days.computeIfAbsent(storeId, id -> new HashMap<>());
            for (LocalDate date = period.from(); !date.isAfter(period.to()); date = date.plusDays(1)) {
                long[] sources = new long[SOURCES];
                boolean any = false;
                for (int i = 0; i < SOURCES; i++) {
                    Long version = versions.get(new VersionedDays.Key(storeId, date.plusDays(i - STORE_DAYS_AROUND)));
                    sources[i] = version == null ? 0 : version;
                    any |= version != null;
                }
                if (!any) {
                    continue;
                }
                ZoneKey key = new ZoneKey(zone.getId(), storeId, date);
                M day = kept.get(key);
                if (day != null && Arrays.equals(sourcesOf.apply(day), sources)) {
                    store.put(date, day);
                } else {
                    stale.put(key, sources);
                }
            }
        }
        if (stale.isEmpty()) {
            return days;
        }
        // A month of stale days at a time: the store days read for them are dropped before the next ones are read.
        Map<ZoneKey, M> fresh = new HashMap<>();
        List<Map.Entry<ZoneKey, long[]>> entries = new ArrayList<>(stale.entrySet());
        for (int from = 0; from < entries.size(); from += MADE_AT_ONCE) {
            List<Map.Entry<ZoneKey, long[]>> chunk = entries.subList(from, Math.min(entries.size(), from + MADE_AT_ONCE));
            Map<VersionedDays.Key, Long> wanted = new HashMap<>();
            chunk.forEach(entry -> {
                for (int i = -STORE_DAYS_AROUND; i <= STORE_DAYS_AROUND; i++) {
                    VersionedDays.Key storeDay = new VersionedDays.Key(entry.getKey().storeId(),
                            entry.getKey().date().plusDays(i));
                    Long version = versions.get(storeDay);
                    if (version != null) {
                        wanted.put(storeDay, version);
                    }
                }
            });
            Map<VersionedDays.Key, R> storeDaysRead = storeDays.current(connection, wanted);
            for (Map.Entry<ZoneKey, long[]> entry : chunk) {
                ZoneKey key = entry.getKey();
                List<R> around = new ArrayList<>(SOURCES);
                for (int i = -STORE_DAYS_AROUND; i <= STORE_DAYS_AROUND; i++) {
                    around.add(storeDaysRead.get(new VersionedDays.Key(key.storeId(), key.date().plusDays(i))));
                }
                M day = maker.make(zone, key.date(), entry.getValue(), around);
                fresh.put(key, day);
                days.get(key.storeId()).put(key.date(), day);
            }
        }
        if (fresh.size() <= capacity) {
            if (kept.size() + fresh.size() > capacity) {
                kept.clear();
            }
            kept.putAll(fresh);
        }
        return days;
    }

    /** The sums of a made day's channel: the amounts of {@link StoreDaySlots}, then transactions and anonymous ones. */
    private static final int TRANSACTIONS = StoreDaySlots.AMOUNTS;
    private static final int ANONYMOUS = StoreDaySlots.AMOUNTS + 1;
    private static final int SUMS = StoreDaySlots.AMOUNTS + 2;

    private static MadeSales makeSales(ZoneId zone, LocalDate date, long[] sources, List<StoreDaySlots.Sales> around) {
        SlotDates dates = new SlotDates(zone);
        Map<String, long[]> channels = new HashMap<>(4);
        for (StoreDaySlots.Sales day : around) {
            if (day == null) {
                continue;
            }
            for (int i = 0; i < day.size(); i++) {
                if (!date.equals(dates.of(day.slots()[i]))) {
                    continue;
                }
                long[] sum = channels.computeIfAbsent(day.channels()[i], name -> new long[SUMS]);
                for (int amount = 0; amount < StoreDaySlots.AMOUNTS; amount++) {
                    sum[amount] += day.amounts()[i * StoreDaySlots.AMOUNTS + amount];
                }
                sum[TRANSACTIONS] += day.transactions()[i];
                sum[ANONYMOUS] += day.anonymous()[i];
            }
        }
        return new MadeSales(sources, channels);
    }

    private MadeCustomers makeCustomers(ZoneId zone, LocalDate date, long[] sources,
                                        List<StoreDaySlots.Customers> around) {
        SlotDates dates = new SlotDates(zone);
        Ids ids = new Ids();
        long acquired = 0;
        for (StoreDaySlots.Customers day : around) {
            if (day == null) {
                continue;
            }
            for (int first : day.firsts()) {
                acquired += date.equals(dates.of(first)) ? 1 : 0;
            }
            int start = 0;
            for (int group = 0; group < day.slots().length; group++) {
                if (date.equals(dates.of(day.slots()[group]))) {
                    ids.add(day.ids(), start, day.ends()[group]);
                }
                start = day.ends()[group];
            }
        }
        return new MadeCustomers(sources, ids.day(made.incrementAndGet()), acquired);
    }

    private static void add(long[] sum, long[] figures) {
        for (int i = 0; i < SUMS; i++) {
            sum[i] += figures[i];
        }
    }

    private static BigDecimal money(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }

    /** The zone's date of a slot, remembering the bounds of the last day found (slots come mostly in order). */
    private static final class SlotDates {

        private final ZoneId zone;
        private long first = 1;
        private long end = 0;
        private LocalDate date;

        SlotDates(ZoneId zone) {
            this.zone = zone;
        }

        LocalDate of(int slot) {
            if (slot < first || slot >= end) {
                date = Instant.ofEpochSecond((long) slot * StoreDaySlots.SLOT_SECONDS).atZone(zone).toLocalDate();
                first = date.atStartOfDay(zone).toEpochSecond() / StoreDaySlots.SLOT_SECONDS;
                end = date.plusDays(1).atStartOfDay(zone).toEpochSecond() / StoreDaySlots.SLOT_SECONDS;
            }
            return date;
        }
    }

    /** The customer ids of one store's sales on one day of the zone, one per sale. */
    private static final class Ids {

        private int[] ids = new int[64];
        private int size;

        void add(int[] from, int start, int end) {
            int length = end - start;
            if (size + length > ids.length) {
                ids = Arrays.copyOf(ids, Math.max(ids.length * 2, size + length));
            }
            System.arraycopy(from, start, ids, size, length);
            size += length;
        }

        /** Those who bought, and those who bought twice or more: one sort, then runs of equal ids. */
        CustomerDays.Day day(long version) {
            int[] sorted = Arrays.copyOf(ids, size);
            Arrays.sort(sorted);
            int[] distinct = new int[size];
            int[] twice = new int[size];
            int customers = 0;
            int regulars = 0;
            for (int i = 0; i < size; i++) {
                if (i > 0 && sorted[i] == sorted[i - 1]) {
                    if (regulars == 0 || twice[regulars - 1] != sorted[i]) {
                        twice[regulars++] = sorted[i];
                    }
                } else {
                    distinct[customers++] = sorted[i];
                }
            }
            RoaringBitmap active = new RoaringBitmap();
            active.addN(distinct, 0, customers);
            active.runOptimize();
            RoaringBitmap repeat = new RoaringBitmap();
            repeat.addN(twice, 0, regulars);
            return new CustomerDays.Day(version, customers, active, repeat);
        }
    }
}
