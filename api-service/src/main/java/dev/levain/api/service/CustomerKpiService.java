package dev.levain.api.service;

import dev.levain.api.repository.CustomerKpiRepository;
import dev.levain.api.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Customer KPIs (acquisition, activity, retention, repeat, cohorts) exactly as DESIGN.md §4 defines them. */
@ApplicationScoped
public class CustomerKpiService {

    /** Cohorts asked for without {@code from}: this many months, ending with the month of {@code to}. */
    static final int DEFAULT_COHORT_MONTHS = 12;

    private final CustomerKpiRepository repository;
    private final KpiQueries queries;
    private final FreshnessService freshness;

    public CustomerKpiService(CustomerKpiRepository repository, KpiQueries queries, FreshnessService freshness) {
        this.repository = repository;
        this.queries = queries;
        this.freshness = freshness;
    }

    /** The period's customer KPIs in total, per store and per bucket, with comparisons. */
    public CustomerReport report(KpiQuery query, Caller caller) {
        return build(query, freshness.current(caller));
    }

    /** The period's customer figures over all its stores, for goals (whose progress carries its own freshness). */
    CustomerFigures total(KpiQuery query) {
        return build(query, null).total();
    }

    private CustomerReport build(KpiQuery query, Freshness freshness) {
        Period period = query.period();
        Slices now = slices(query, true);
        Slices previous = slices(query.over(period.previous()), false);
        Slices lastYear = slices(query.over(period.sameTimeLastYear()), false);

        List<CustomerReport.StoreCustomers> byStore = new ArrayList<>();
        for (Store store : query.stores()) {
            byStore.add(new CustomerReport.StoreCustomers(store.code(), store.name(), now.figures(store.id(), null),
                    previous.figures(store.id(), null), lastYear.figures(store.id(), null)));
        }
        Granularity granularity = query.granularity();
        List<CustomerReport.Bucket> series = new ArrayList<>();
        for (Period bucket : period.buckets(granularity)) {
            LocalDate key = granularity.start(bucket.from());
            Map<String, CustomerFigures> stores = new LinkedHashMap<>();
            query.stores().forEach(store -> stores.put(store.code(), now.figures(store.id(), key)));
            series.add(new CustomerReport.Bucket(bucket.from(), bucket.to(), granularity.start(key.minusDays(1)),
                    key.minusDays(1), now.figures(null, key), stores));
        }
        CustomerFigures total = now.figures(null, null);
        CustomerReport.Comparison comparison = new CustomerReport.Comparison(
                compared(period.previous(), previous.figures(null, null), total),
                compared(period.sameTimeLastYear(), lastYear.figures(null, null), total));
        return new CustomerReport(period.from(), period.to(), granularity.sqlField(), query.timezoneName(),
                query.stores().stream().map(Store::code).toList(), total, byStore, series, comparison, freshness);
    }

    /**
     * Monthly cohorts of the stores from the month of {@code from} (default: {@value #DEFAULT_COHORT_MONTHS}
     * months ending with the month of {@code to}) to the end of the month of {@code to} (default: today).
     */
    public CohortReport cohorts(Collection<String> store, String from, String to, Caller caller) {
        List<Store> stores = queries.stores(store, caller);
        String first = from;
        if (from == null || from.isBlank()) {
            LocalDate last = to == null || to.isBlank() ? KpiQueries.today(stores, Optional.empty())
                    : KpiQueries.date("to", to);
            first = last.withDayOfMonth(1).minusMonths(DEFAULT_COHORT_MONTHS - 1L).toString();
        }
        Period asked = queries.period(first, to, stores, Optional.empty());
        Period months = new Period(asked.from().withDayOfMonth(1), asked.to().with(TemporalAdjusters.lastDayOfMonth()));
        long[] storeIds = stores.stream().mapToLong(Store::id).toArray();

        Map<LocalDate, Long> sizes = new HashMap<>();
        Map<String, Long> active = new HashMap<>();
        for (CohortActivity row : repository.cohorts(storeIds, months)) {
            if (row.month() == null) {
                sizes.put(row.cohort(), row.customers());
            } else {
                active.put(row.cohort() + "/" + row.month(), row.customers());
            }
        }
        YearMonth end = YearMonth.from(months.to());
        List<CohortReport.Cohort> cohorts = new ArrayList<>();
        for (YearMonth month = YearMonth.from(months.from()); !month.isAfter(end); month = month.plusMonths(1)) {
            long size = sizes.getOrDefault(month.atDay(1), 0L);
            List<CohortReport.Activity> activity = new ArrayList<>();
            for (YearMonth later = month.plusMonths(1); !later.isAfter(end); later = later.plusMonths(1)) {
                long count = active.getOrDefault(month.atDay(1) + "/" + later.atDay(1), 0L);
                activity.add(new CohortReport.Activity(later, (int) ChronoUnit.MONTHS.between(month, later), count,
                        rate(count, size)));
            }
            cohorts.add(new CohortReport.Cohort(month, size, activity));
        }
        return new CohortReport(months.from(), months.to(), stores.stream().map(Store::code).toList(), cohorts,
                freshness.current(caller));
    }

    private Slices slices(KpiQuery query, boolean series) {
        return new Slices(repository.activity(query, series), repository.newCustomers(query, series));
    }

    private static CustomerReport.Compared compared(Period period, CustomerFigures then, CustomerFigures now) {
        Map<String, BigDecimal> change = new LinkedHashMap<>();
        change.put("new_customers", SalesKpiService.percent(count(now.newCustomers()), count(then.newCustomers())));
        change.put("active_customers",
                SalesKpiService.percent(count(now.activeCustomers()), count(then.activeCustomers())));
        change.put("retained_customers",
                SalesKpiService.percent(count(now.retainedCustomers()), count(then.retainedCustomers())));
        change.put("retention_rate", SalesKpiService.percent(now.retentionRate(), then.retentionRate()));
        change.put("repeat_customers",
                SalesKpiService.percent(count(now.repeatCustomers()), count(then.repeatCustomers())));
        change.put("repeat_rate", SalesKpiService.percent(now.repeatRate(), then.repeatRate()));
        return new CustomerReport.Compared(period.from(), period.to(), then, change);
    }

    private static BigDecimal count(long value) {
        return BigDecimal.valueOf(value);
    }

    /** part / whole to 4 places; null when whole is 0. */
    static BigDecimal rate(long part, long whole) {
        return whole == 0 ? null
                : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP);
    }

    /** The counts of one period, by store (null: all) and bucket start (null: the whole period). */
    private static final class Slices {

        private static final CustomerActivity NONE = new CustomerActivity(false, null, null, 0, 0, 0, 0);

        private final Map<String, CustomerActivity> activity = new HashMap<>();
        private final Map<String, Long> newCustomers = new HashMap<>();

        Slices(List<CustomerActivity> activity, List<CustomerCount> newCustomers) {
            activity.forEach(row -> this.activity.put(key(row.storeId(), row.whole() ? null : row.bucket()), row));
            newCustomers.forEach(row -> this.newCustomers.put(key(row.storeId(), row.bucket()), row.customers()));
        }

        CustomerFigures figures(Long storeId, LocalDate bucket) {
            String key = key(storeId, bucket);
            CustomerActivity counts = activity.getOrDefault(key, NONE);
            return new CustomerFigures(newCustomers.getOrDefault(key, 0L), counts.active(), counts.previouslyActive(),
                    counts.retained(), rate(counts.retained(), counts.previouslyActive()), counts.repeat(),
                    rate(counts.repeat(), counts.active()));
        }

        private static String key(Long storeId, LocalDate bucket) {
            return storeId + "/" + bucket;
        }
    }
}
