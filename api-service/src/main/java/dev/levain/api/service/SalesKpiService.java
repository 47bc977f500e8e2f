package dev.levain.api.service;

import dev.levain.api.repository.SalesRollupRepository;
import dev.levain.api.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Sales KPIs computed exactly as DESIGN.md §4 defines them, from the normalizer's rollups. */
@ApplicationScoped
public class SalesKpiService {

    static final Set<String> CHANNELS = Set.of("in_store", "delivery");

    private final SalesRollupRepository repository;
    private final FreshnessService freshness;

    public SalesKpiService(SalesRollupRepository repository, FreshnessService freshness) {
        this.repository = repository;
        this.freshness = freshness;
    }

    /** The period's sales in total, per channel, per store and per bucket, with comparisons. */
    public SalesReport report(KpiQuery query, String channel, Caller caller) {
        Optional<String> only = channel(channel);
        String currency = currency(query.stores());
        boolean costs = caller.seesCosts();
        Slices now = slices(query, only, Customers.BUCKETS);
        // The comparisons show totals and stores, never buckets.
        Slices previous = slices(query.over(query.period().previous()), only, Customers.TOTALS);
        Slices lastYear = slices(query.over(query.period().sameTimeLastYear()), only, Customers.TOTALS);

        List<SalesReport.StoreSales> byStore = new ArrayList<>();
        for (Store store : query.stores()) {
            byStore.add(new SalesReport.StoreSales(store.code(), store.name(), now.store(store, costs),
                    now.storeChannels(store, costs), previous.store(store, costs), lastYear.store(store, costs)));
        }
        List<SalesReport.Bucket> series = new ArrayList<>();
        for (Period bucket : query.period().buckets(query.granularity())) {
            LocalDate key = query.granularity().start(bucket.from());
            Map<String, SalesFigures> stores = new LinkedHashMap<>();
            query.stores().forEach(store -> stores.put(store.code(), now.storeBucket(store, key, costs)));
            series.add(new SalesReport.Bucket(bucket.from(), bucket.to(), now.bucket(key, costs), stores));
        }
        SalesFigures total = now.total(costs);
        SalesReport.Comparison comparison = new SalesReport.Comparison(
                compared(query.period().previous(), previous.total(costs), total),
                compared(query.period().sameTimeLastYear(), lastYear.total(costs), total));
        return new SalesReport(query.period().from(), query.period().to(), query.granularity().sqlField(),
                query.timezoneName(), only.orElse(null), currency, query.stores().stream().map(Store::code).toList(),
                total, now.channels(costs), byStore, series, comparison, freshness.current(caller));
    }

    /** Each store's own business day so far, beside the same weekday a week earlier. */
    public TodaySales today(List<Store> stores, Caller caller) {
        long[] ids = new long[stores.size() * 2];
        LocalDate[] days = new LocalDate[stores.size() * 2];
        for (int i = 0; i < stores.size(); i++) {
            LocalDate today = LocalDate.now(stores.get(i).timezone());
            ids[2 * i] = stores.get(i).id();
            days[2 * i] = today;
            ids[2 * i + 1] = stores.get(i).id();
            days[2 * i + 1] = today.minusWeeks(1);
        }
        SalesRollupRepository.StoreDays read = stores.isEmpty()
                ? new SalesRollupRepository.StoreDays(List.of(), List.of()) : repository.storeDays(ids, days);
        List<TodaySales.StoreToday> result = new ArrayList<>();
        for (int i = 0; i < stores.size(); i++) {
            Store store = stores.get(i);
            result.add(new TodaySales.StoreToday(store.code(), store.name(), store.timezone().getId(),
                    store.currency(), days[2 * i], storeDay(read, store, days[2 * i]).total(caller.seesCosts()),
                    storeDay(read, store, days[2 * i + 1]).total(caller.seesCosts())));
        }
        return new TodaySales(result, freshness.current(caller));
    }

    /** One store's day out of {@link SalesRollupRepository#storeDays}, as a slice of its own. */
    private static Slices storeDay(SalesRollupRepository.StoreDays read, Store store, LocalDate day) {
        List<SalesRow> rows = read.sales().stream()
                .filter(row -> row.storeId() == store.id() && row.bucket().equals(day)).toList();
        List<CustomerCount> customers = read.customers().stream()
                .filter(count -> count.storeId() == store.id() && count.bucket().equals(day))
                .map(count -> new CustomerCount(null, null, count.customers())).toList();
        return new Slices(rows, customers, true);
    }

    /** Per store and business day: net sales, transactions, average ticket; days without sales as zeros. */
    public DailySalesReport daily(KpiQuery query) {
        // The daily figures have no customer count.
        Slices now = slices(query, Optional.empty(), Customers.NONE);
        List<DailySales> days = new ArrayList<>();
        for (Store store : query.stores()) {
            for (LocalDate day = query.period().from(); !day.isAfter(query.period().to()); day = day.plusDays(1)) {
                SalesFigures figures = now.storeBucket(store, day, false);
                days.add(new DailySales(store.code(), day, store.currency(), figures.netSales(), figures.transactions(),
                        figures.averageTicket()));
            }
        }
        String store = query.stores().size() == 1 ? query.stores().get(0).code() : null;
        return new DailySalesReport(store, query.period().from(), query.period().to(), days);
    }

    /** Which distinct customer counts a slice needs: none, per store and in total, or per bucket as well. */
    private enum Customers {
        NONE, TOTALS, BUCKETS
    }

    private Slices slices(KpiQuery query, Optional<String> channel, Customers customers) {
        List<SalesRow> rows = repository.sales(query, channel);
        // Distinct customers cannot be split by channel: the customer rollup has no channel.
        boolean counted = channel.isEmpty() && customers != Customers.NONE;
        List<CustomerCount> counts = counted
                ? repository.distinctCustomers(query, customers == Customers.BUCKETS) : List.of();
        return new Slices(rows, counts, counted);
    }

    private static SalesReport.Compared compared(Period period, SalesFigures then, SalesFigures now) {
        Map<String, BigDecimal> change = new LinkedHashMap<>();
        change.put("gross", percent(now.gross(), then.gross()));
        change.put("net_sales", percent(now.netSales(), then.netSales()));
        change.put("transactions", percent(BigDecimal.valueOf(now.transactions()), BigDecimal.valueOf(then.transactions())));
        change.put("average_ticket", percent(now.averageTicket(), then.averageTicket()));
        change.put("customers", percent(now.customers() == null ? null : BigDecimal.valueOf(now.customers()),
                then.customers() == null ? null : BigDecimal.valueOf(then.customers())));
        return new SalesReport.Compared(period.from(), period.to(), then, change);
    }

    /** (now − then) / then in percent, to 0.1; null when there is nothing to compare with. */
    static BigDecimal percent(BigDecimal now, BigDecimal then) {
        if (now == null || then == null || then.signum() == 0) {
            return null;
        }
        return now.subtract(then).multiply(BigDecimal.valueOf(100)).divide(then.abs(), 1, RoundingMode.HALF_UP);
    }

    private static Optional<String> channel(String channel) {
        if (channel == null || channel.isBlank()) {
            return Optional.empty();
        }
        String value = channel.trim().toLowerCase(Locale.ROOT);
        if (!CHANNELS.contains(value)) {
            throw new InvalidQueryException("channel", "must be in_store or delivery, not " + channel);
        }
        return Optional.of(value);
    }

    /** Amounts of stores in different currencies cannot be added up. */
    static String currency(List<Store> stores) {
        Set<String> currencies = new java.util.TreeSet<>();
        stores.forEach(store -> currencies.add(store.currency()));
        if (currencies.size() > 1) {
            throw new InvalidQueryException("store", "covers stores in " + String.join(" and ", currencies)
                    + ", which cannot be added up; ask for the stores of one currency");
        }
        return currencies.isEmpty() ? null : currencies.iterator().next();
    }

    /** The rows of one period, added up once (in one pass) into every slice a response may need. */
    private static final class Slices {

        private final Map<String, SalesSums> sums = new java.util.HashMap<>();
        private final Map<String, Long> customers = new java.util.HashMap<>();
        private final boolean countsCustomers;

        Slices(List<SalesRow> rows, List<CustomerCount> counts, boolean countsCustomers) {
            this.countsCustomers = countsCustomers;
            for (SalesRow row : rows) {
                for (String slice : List.of(key(null, null), key(row.storeId(), null), key(null, row.bucket()),
                        key(row.storeId(), row.bucket()), channelKey(null, row.channel()),
                        channelKey(row.storeId(), row.channel()))) {
                    sums.computeIfAbsent(slice, k -> new SalesSums()).add(row);
                }
            }
            counts.forEach(count -> customers.put(key(count.storeId(), count.bucket()), count.customers()));
        }

        SalesFigures total(boolean costs) {
            return figures(key(null, null), costs);
        }

        SalesFigures store(Store store, boolean costs) {
            return figures(key(store.id(), null), costs);
        }

        SalesFigures bucket(LocalDate bucket, boolean costs) {
            return figures(key(null, bucket), costs);
        }

        SalesFigures storeBucket(Store store, LocalDate bucket, boolean costs) {
            return figures(key(store.id(), bucket), costs);
        }

        Map<String, SalesFigures> channels(boolean costs) {
            return byChannel(null, costs);
        }

        Map<String, SalesFigures> storeChannels(Store store, boolean costs) {
            return byChannel(store.id(), costs);
        }

        private Map<String, SalesFigures> byChannel(Long storeId, boolean costs) {
            Map<String, SalesFigures> channels = new LinkedHashMap<>();
            for (String channel : List.of("in_store", "delivery")) {
                channels.put(channel, sums.getOrDefault(channelKey(storeId, channel), new SalesSums()).figures(null, costs));
            }
            return channels;
        }

        private SalesFigures figures(String slice, boolean costs) {
            Long count = countsCustomers ? customers.getOrDefault(slice, 0L) : null;
            return sums.getOrDefault(slice, new SalesSums()).figures(count, costs);
        }

        private static String key(Long storeId, LocalDate bucket) {
            return storeId + "/" + bucket;
        }

        private static String channelKey(Long storeId, String channel) {
            return "channel/" + storeId + "/" + channel;
        }
    }
}
