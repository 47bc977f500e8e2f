package dev.levain.api.service;

import dev.levain.api.repository.StoreRepository;
import dev.levain.api.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Makes the sales report of a period from the same services the KPI endpoints answer with (so its figures are
 * the API's for the same dates), asked as an admin of every store, and the firing alerts from alert-service
 * ({@link FiringAlerts}).
 */
@ApplicationScoped
public class ReportService {

    private static final Logger LOG = Logger.getLogger(ReportService.class);
    private static final Caller REPORTER = Caller.service("sales-report");

    private final StoreRepository stores;
    private final SalesKpiService sales;
    private final CustomerKpiService customers;
    private final InventoryKpiService inventory;
    private final GoalService goals;
    private final GoalProgressService progress;
    private final FiringAlerts alerts;

    public ReportService(StoreRepository stores, SalesKpiService sales, CustomerKpiService customers,
                         InventoryKpiService inventory, GoalService goals, GoalProgressService progress,
                         FiringAlerts alerts) {
        this.stores = stores;
        this.sales = sales;
        this.customers = customers;
        this.inventory = inventory;
        this.goals = goals;
        this.progress = progress;
        this.alerts = alerts;
    }

    /** The report of {@code period}: every store, grouped by currency. */
    public Report build(ReportFrequency frequency, Period period) {
        // Not the list kept for requests (up to 10 s old): a report must not miss a store opened just now.
        stores.forget();
        Map<String, List<Store>> byCurrency = stores.all().stream()
                .collect(Collectors.groupingBy(Store::currency, LinkedHashMap::new, Collectors.toList()));
        List<Report.Section> sections = new ArrayList<>();
        byCurrency.forEach((currency, stores) -> sections.add(section(currency, stores, period)));
        List<FiringAlert> firing = new ArrayList<>();
        Optional<String> alertsUnavailable = firingAlerts(firing);
        return new Report(frequency, period, period.previous(), period.sameTimeLastYear(), List.copyOf(sections),
                goalLines(), List.copyOf(firing), alertsUnavailable);
    }

    private Report.Section section(String currency, List<Store> stores, Period period) {
        KpiQuery query = new KpiQuery(stores, period, Granularity.MONTH, Optional.empty());
        SalesReport salesReport = sales.report(query, null, REPORTER);
        CustomerReport customerReport = customers.report(query, REPORTER);
        InventoryTurnover turnover = inventory.turnover(query, REPORTER);
        Map<String, CustomerReport.StoreCustomers> customersByStore = customerReport.byStore().stream()
                .collect(Collectors.toMap(CustomerReport.StoreCustomers::store, Function.identity()));
        Map<String, InventoryTurnover.StoreTurnover> turnoverByStore = turnover.byStore().stream()
                .collect(Collectors.toMap(InventoryTurnover.StoreTurnover::store, Function.identity()));
        List<Report.StoreLine> lines = new ArrayList<>();
        for (SalesReport.StoreSales store : salesReport.byStore()) {
            CustomerReport.StoreCustomers storeCustomers = customersByStore.get(store.store());
            lines.add(new Report.StoreLine(store.store(), store.name(), store.figures(), store.previousPeriod(),
                    store.samePeriodLastYear(), storeCustomers.figures(), storeCustomers.previousPeriod(),
                    turnoverByStore.get(store.store()).figures()));
        }
        Report.StoreLine total = new Report.StoreLine("TOTAL", "All stores", salesReport.total(),
                salesReport.comparison().previousPeriod().total(), salesReport.comparison().samePeriodLastYear().total(),
                customerReport.total(), customerReport.comparison().previousPeriod().total(), turnover.total());
        return new Report.Section(currency, List.copyOf(lines), total);
    }

    private List<Report.GoalLine> goalLines() {
        List<Report.GoalLine> lines = new ArrayList<>();
        for (Goal goal : goals.list(REPORTER).goals()) {
            GoalProgress goalProgress = progress.progress(goal.id(), "week", REPORTER);
            lines.add(new Report.GoalLine(goal.name(), goal.metric(), goal.deadline(), goalProgress.baseline(),
                    goalProgress.target(), goalProgress.current(), goalProgress.progressPercent(),
                    goalProgress.expectedPercent(), goalProgress.onTrack()));
        }
        return lines;
    }

    /** Adds the alerts firing now to {@code into}; why they could not be read (the report goes out without them). */
    private Optional<String> firingAlerts(List<FiringAlert> into) {
        try {
            into.addAll(alerts.all());
            return Optional.empty();
        } catch (DownstreamUnavailableException e) {
            LOG.warnf("Sales report without alerts: %s", e.getMessage());
            return Optional.of(e.getMessage());
        }
    }
}
