package dev.levain.api.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.levain.api.repository.StoreRepository;
import dev.levain.api.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Makes the sales report of a period from the same services the KPI endpoints answer with (so its figures are
 * the API's for the same dates), asked as an admin of every store, and the firing alerts from alert-service.
 */
@ApplicationScoped
public class ReportService {

    private static final Logger LOG = Logger.getLogger(ReportService.class);
    private static final Caller REPORTER = Caller.service("sales-report");
    private static final String ALERT_PAGE = "200";

    private final StoreRepository stores;
    private final SalesKpiService sales;
    private final CustomerKpiService customers;
    private final InventoryKpiService inventory;
    private final GoalService goals;
    private final GoalProgressService progress;
    private final DownstreamApis downstream;
    private final ObjectMapper json;

    public ReportService(StoreRepository stores, SalesKpiService sales, CustomerKpiService customers,
                         InventoryKpiService inventory, GoalService goals, GoalProgressService progress,
                         DownstreamApis downstream, ObjectMapper json) {
        this.stores = stores;
        this.sales = sales;
        this.customers = customers;
        this.inventory = inventory;
        this.goals = goals;
        this.progress = progress;
        this.downstream = downstream;
        this.json = json;
    }

    /** The report of {@code period}: every store, grouped by currency. */
    public Report build(ReportFrequency frequency, Period period) {
        // Not the list kept for requests (up to 10 s old): a report must not miss a store opened just now.
        stores.forget();
        Map<String, List<Store>> byCurrency = stores.all().stream()
                .collect(Collectors.groupingBy(Store::currency, LinkedHashMap::new, Collectors.toList()));
        List<Report.Section> sections = new ArrayList<>();
        byCurrency.forEach((currency, stores) -> sections.add(section(currency, stores, period)));
        List<Report.AlertLine> alerts = new ArrayList<>();
        Optional<String> alertsUnavailable = firingAlerts(alerts);
        return new Report(frequency, period, period.previous(), period.sameTimeLastYear(), List.copyOf(sections),
                goalLines(), List.copyOf(alerts), alertsUnavailable);
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

    /**
     * Adds the alerts firing now to {@code into}, with their rules' names; why they could not be read when
     * alert-service is not configured, not reachable or answers an error (the report goes out without them).
     */
    private Optional<String> firingAlerts(List<Report.AlertLine> into) {
        try {
            JsonNode alerts = read("api/v1/alerts?state=firing&page=1&size=" + ALERT_PAGE);
            JsonNode rules = read("api/v1/alerts/rules?page=1&size=" + ALERT_PAGE);
            Map<Long, JsonNode> ruleById = new HashMap<>();
            rules.path("items").forEach(rule -> ruleById.put(rule.path("id").asLong(), rule));
            for (JsonNode alert : alerts.path("items")) {
                JsonNode rule = ruleById.getOrDefault(alert.path("rule_id").asLong(), json.createObjectNode());
                into.add(new Report.AlertLine(rule.path("name").asText("rule " + alert.path("rule_id").asText()),
                        rule.path("kind").asText(null), alert.path("store_code").asText(null),
                        subject(alert), decimal(alert.path("level")), decimal(alert.path("threshold")),
                        instant(alert.path("fired_at"))));
            }
            return Optional.empty();
        } catch (DownstreamUnavailableException | ReportInputException e) {
            LOG.warnf("Sales report without alerts: %s", e.getMessage());
            return Optional.of(e.getMessage());
        }
    }

    private JsonNode read(String path) {
        DownstreamReply reply = downstream.alert().send("GET", path, null);
        if (reply.status() != 200) {
            throw new ReportInputException("alert-service answered " + reply.status() + " to GET /" + path);
        }
        try {
            return json.readTree(reply.body());
        } catch (IOException e) {
            throw new ReportInputException("alert-service answered GET /" + path + " with unreadable JSON");
        }
    }

    private static String subject(JsonNode alert) {
        String name = alert.path("subject_name").asText("");
        return name.isBlank() ? alert.path("subject").asText("") : name;
    }

    private static Instant instant(JsonNode value) {
        try {
            return value.isTextual() ? Instant.parse(value.asText()) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static BigDecimal decimal(JsonNode value) {
        return value.isNumber() ? value.decimalValue() : null;
    }

    /** What alert-service answered could not be used. */
    private static final class ReportInputException extends RuntimeException {
        ReportInputException(String message) {
            super(message);
        }
    }
}
