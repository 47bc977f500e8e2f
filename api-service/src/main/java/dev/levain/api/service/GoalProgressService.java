package dev.levain.api.service;

import dev.levain.api.config.ApiConfig;
import dev.levain.api.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Measures goals with the KPI services' own definitions. The current value is the metric over the last
 * window of as many days as the baseline that ends yesterday, the last complete business day (today is
 * still open and would understate sums); the on-track line runs from 0% at the baseline's end to 100% at
 * the deadline.
 */
@ApplicationScoped
public class GoalProgressService {

    /** The most points a progress series has: half a year of weeks, two years of months. */
    static final int MAX_POINTS = 26;

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final GoalService goals;
    private final StoreScope storeScope;
    private final SalesKpiService sales;
    private final InventoryKpiService inventory;
    private final CustomerKpiService customers;
    private final FreshnessService freshness;
    private final ApiConfig config;

    public GoalProgressService(GoalService goals, StoreScope storeScope, SalesKpiService sales,
                               InventoryKpiService inventory, CustomerKpiService customers,
                               FreshnessService freshness, ApiConfig config) {
        this.goals = goals;
        this.storeScope = storeScope;
        this.sales = sales;
        this.inventory = inventory;
        this.customers = customers;
        this.freshness = freshness;
        this.config = config;
    }

    public GoalProgress progress(long id, String granularity, Caller caller) {
        Granularity cut = granularity(granularity);
        Goal goal = goals.get(id, caller);
        GoalMetric metric = GoalMetric.of(goal.metric()).orElseThrow();
        List<Store> stores = storeScope.resolve(goal.stores(), caller);
        boolean shown = !metric.isCost() || caller.seesCosts();

        BigDecimal baseline = value(metric, stores, goal.baseline());
        BigDecimal target = baseline == null ? null : baseline.multiply(BigDecimal.ONE.add(
                goal.targetChangePercent().divide(HUNDRED, 6, RoundingMode.HALF_UP))).setScale(2, RoundingMode.HALF_UP);
        LocalDate yesterday = KpiQueries.today(stores, Optional.empty()).minusDays(1);
        long length = goal.baseline().days();
        Period current = window(yesterday, length);
        BigDecimal now = value(metric, stores, current);
        BigDecimal progress = progress(baseline, target, now);
        BigDecimal expected = expected(goal, yesterday);

        List<GoalProgress.Point> series = new ArrayList<>();
        LocalDate start = goal.baselineTo().plusDays(1);
        if (!start.isAfter(yesterday)) {
            LocalDate earliest = yesterday.minusDays(config.maxRangeDays() - 1L);
            Period since = new Period(start.isBefore(earliest) ? earliest : start, yesterday);
            List<Period> buckets = since.buckets(cut);
            // Each point recomputes the metric over a window: the latest points only, so a request stays bounded.
            for (Period bucket : buckets.subList(Math.max(0, buckets.size() - MAX_POINTS), buckets.size())) {
                Period window = window(bucket.to(), length);
                BigDecimal value = value(metric, stores, window);
                BigDecimal pointProgress = progress(baseline, target, value);
                BigDecimal pointExpected = expected(goal, bucket.to());
                series.add(new GoalProgress.Point(bucket.to(), window.from(), shown ? value : null, pointProgress,
                        pointExpected, onTrack(pointProgress, pointExpected)));
            }
        }
        return new GoalProgress(goal, cut.sqlField(), shown ? baseline : null, shown ? target : null, current.from(),
                current.to(), shown ? now : null, progress, expected, onTrack(progress, expected), series,
                freshness.current(caller));
    }

    /** The metric over the stores and period, by the same definitions as the KPI endpoints; null when undefined. */
    BigDecimal value(GoalMetric metric, List<Store> stores, Period period) {
        switch (metric) {
            case NEW_CUSTOMERS:
                return BigDecimal.valueOf(customerFigures(stores, period).newCustomers());
            case RETENTION_RATE:
                // In percent (to 0.01), so that a target such as +20% keeps its precision.
                BigDecimal rate = customerFigures(stores, period).retentionRate();
                return rate == null ? null : rate.multiply(HUNDRED).setScale(2, RoundingMode.HALF_UP);
            case INVENTORY_VALUE:
                return inventory.averageInventoryValue(stores, period);
            default:
                return salesValue(metric, stores, period);
        }
    }

    private CustomerFigures customerFigures(List<Store> stores, Period period) {
        return customers.total(new KpiQuery(stores, period, Granularity.MONTH, Optional.empty()));
    }

    private BigDecimal salesValue(GoalMetric metric, List<Store> stores, Period period) {
        DailySalesReport days = sales.daily(new KpiQuery(stores, period, Granularity.DAY, Optional.empty()));
        BigDecimal net = BigDecimal.ZERO;
        long transactions = 0;
        for (DailySales day : days.days()) {
            net = net.add(day.netSales());
            transactions += day.transactions();
        }
        switch (metric) {
            case NET_SALES:
                return net.setScale(2, RoundingMode.HALF_UP);
            case TRANSACTIONS:
                return BigDecimal.valueOf(transactions);
            default:
                return transactions == 0 ? null
                        : net.divide(BigDecimal.valueOf(transactions), 2, RoundingMode.HALF_UP);
        }
    }

    private static Period window(LocalDate end, long days) {
        return new Period(end.minusDays(days - 1), end);
    }

    /** (current − baseline) / (target − baseline) in percent, to 0.1; null when it cannot be told. */
    static BigDecimal progress(BigDecimal baseline, BigDecimal target, BigDecimal current) {
        if (baseline == null || target == null || current == null || target.compareTo(baseline) == 0) {
            return null;
        }
        return current.subtract(baseline).multiply(HUNDRED).divide(target.subtract(baseline), 1, RoundingMode.HALF_UP);
    }

    /** The progress a straight line from the baseline's end (0%) to the deadline (100%) expects on {@code date}. */
    static BigDecimal expected(Goal goal, LocalDate date) {
        long span = ChronoUnit.DAYS.between(goal.baselineTo(), goal.deadline());
        long elapsed = ChronoUnit.DAYS.between(goal.baselineTo(), date);
        if (span <= 0 || elapsed >= span) {
            return HUNDRED.setScale(1);
        }
        return BigDecimal.valueOf(Math.max(0, elapsed)).multiply(HUNDRED)
                .divide(BigDecimal.valueOf(span), 1, RoundingMode.HALF_UP);
    }

    private static Boolean onTrack(BigDecimal progress, BigDecimal expected) {
        return progress == null ? null : progress.compareTo(expected) >= 0;
    }

    private static Granularity granularity(String value) {
        if (value == null || value.isBlank()) {
            return Granularity.MONTH;
        }
        Granularity cut = Granularity.parse(value);
        if (cut == Granularity.DAY) {
            throw new InvalidQueryException("granularity", "must be week or month, not " + value);
        }
        return cut;
    }
}
