package dev.levain.alert.service;

import dev.levain.alert.repository.RuleRepository;
import dev.levain.alert.repository.StoreFiguresRepository;
import dev.levain.alert.repository.StoreFiguresRepository.Sales;
import dev.levain.alert.repository.StoreFiguresRepository.Share;
import dev.levain.alert.repository.StoreFiguresRepository.Store;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Sales and customer rules, each judged per store in the store's own time zone:
 * <ul>
 * <li>{@code sales_threshold}: net sales, transactions or average ticket over the trailing {@code window_minutes}
 * above or below {@code threshold}, on each sale and on schedule. "Below" is judged only once the store has been
 * open for the whole window, so a closed store or one just opened is not "too quiet".</li>
 * <li>{@code sales_unusual}: the last complete day (or hour) against the mean of the same weekday (and hour) of the
 * {@code baseline_weeks} before, deviating by more than {@code tolerance_pct}; a baseline of zero is not judged.</li>
 * <li>{@code customer_change}: new customers, retention or repeat rate of the last complete week (Monday to Sunday)
 * or month falling by {@code drop_pct} or more against the period before.</li>
 * </ul>
 * The alert is about the store as a whole; its subject name says which figure and which period.
 */
@ApplicationScoped
public class SalesRules {

    private static final Logger LOG = Logger.getLogger(SalesRules.class);
    private static final int DEFAULT_BASELINE_WEEKS = 4;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final String[] KINDS = {RuleKind.SALES_THRESHOLD.code(), RuleKind.SALES_UNUSUAL.code(),
            RuleKind.CUSTOMER_CHANGE.code()};

    private final RuleRepository rules;
    private final StoreFiguresRepository figures;
    private final AlertLifecycle lifecycle;

    public SalesRules(RuleRepository rules, StoreFiguresRepository figures, AlertLifecycle lifecycle) {
        this.rules = rules;
        this.figures = figures;
        this.lifecycle = lifecycle;
    }

    /**
     * A sale was recorded at {@code storeCode}: its "above" threshold rules are judged at once (a sale can only take
     * a "below" rule out of alert, which the schedule does).
     */
    public void onSale(String storeCode, Instant now) {
        List<Rule> thresholds = rules.enabledOfKinds(RuleKind.SALES_THRESHOLD.code()).stream()
                .filter(rule -> rule.appliesTo(storeCode) && "above".equals(rule.direction())).toList();
        if (thresholds.isEmpty()) {
            return;
        }
        figures.store(storeCode).ifPresent(store -> thresholds.forEach(rule -> judge(rule, store, now)));
    }

    /** Every sales and customer rule for every store it applies to. */
    public void evaluate(Instant now) {
        List<Rule> enabled = rules.enabledOfKinds(KINDS);
        if (enabled.isEmpty()) {
            return;
        }
        for (Store store : figures.stores()) {
            for (Rule rule : enabled) {
                if (rule.appliesTo(store.code())) {
                    judge(rule, store, now);
                }
            }
        }
    }

    private void judge(Rule rule, Store store, Instant now) {
        ZoneId zone;
        try {
            zone = ZoneId.of(store.timezone());
        } catch (RuntimeException e) {
            LOG.warnf("Store %s: unknown time zone %s; not judged", store.code(), store.timezone());
            return;
        }
        Reading reading = switch (rule.ruleKind()) {
            case SALES_THRESHOLD -> threshold(rule, store, zone, now);
            case SALES_UNUSUAL -> unusual(rule, store, zone, now);
            case CUSTOMER_CHANGE -> customerChange(rule, store, zone, now);
            default -> throw new IllegalArgumentException("Not a sales or customer rule: " + rule.kind());
        };
        lifecycle.observe(rule, new AlertKey(rule.id(), store.code(), AlertKey.WHOLE_STORE), reading, now);
    }

    private Reading threshold(Rule rule, Store store, ZoneId zone, Instant now) {
        Instant from = now.minus(Duration.ofMinutes(rule.windowMinutes()));
        String label = label(rule) + " over the last " + rule.windowMinutes() + " min" + channel(rule);
        boolean above = "above".equals(rule.direction());
        if (!above && !openThroughout(store, from, now)) {
            return new Reading(false, null, rule.threshold(), label);
        }
        Sales sales = figures.salesBetween(store.id(), rule.channel(), from, now, LocalDate.ofInstant(from, zone),
                LocalDate.ofInstant(now, zone));
        Optional<BigDecimal> value = metric(rule.metric(), sales, 1);
        boolean holds = value.isPresent()
                && (above ? value.get().compareTo(rule.threshold()) > 0 : value.get().compareTo(rule.threshold()) < 0);
        return new Reading(holds, value.orElse(null), rule.threshold(), label);
    }

    /** Whether the store has been open since {@code from} at least; a store with unreadable hours is not. */
    private static boolean openThroughout(Store store, Instant from, Instant now) {
        try {
            return OpeningHours.parse(store.openingHours(), store.timezone()).openSince(now)
                    .map(since -> !since.isAfter(from)).orElse(false);
        } catch (RuntimeException e) {
            LOG.warnf("Store %s: %s; not judged", store.code(), e.getMessage());
            return false;
        }
    }

    /**
     * The baseline is the mean over the weeks the store already sold in: a store younger than the baseline is held
     * against the weeks it has, not against weeks of zeros before it opened; without any, it is not judged.
     */
    private Reading unusual(Rule rule, Store store, ZoneId zone, Instant now) {
        int wanted = rule.baselineWeeks() != null ? rule.baselineWeeks() : DEFAULT_BASELINE_WEEKS;
        ZonedDateTime local = now.atZone(zone);
        LocalDate firstSale = figures.firstSaleDay(store.id()).orElse(LocalDate.MAX);
        int weeks = 0;
        Sales actual;
        Sales baseline = Sales.NONE;
        String label;
        if ("hour".equals(rule.period())) {
            ZonedDateTime hour = local.truncatedTo(ChronoUnit.HOURS).minusHours(1);
            actual = salesOfHour(rule, store, hour);
            for (int week = 1; week <= wanted && !hour.minusWeeks(week).toLocalDate().isBefore(firstSale); week++) {
                baseline = baseline.plus(salesOfHour(rule, store, hour.minusWeeks(week)));
                weeks++;
            }
            label = label(rule) + channel(rule) + " on " + day(hour.toLocalDate()) + ", "
                    + "%02d:00–%02d:00".formatted(hour.getHour(), hour.plusHours(1).getHour());
        } else {
            LocalDate day = local.toLocalDate().minusDays(1);
            List<LocalDate> days = new ArrayList<>();
            days.add(day);
            for (int week = 1; week <= wanted && !day.minusWeeks(week).isBefore(firstSale); week++) {
                days.add(day.minusWeeks(week));
                weeks++;
            }
            Map<LocalDate, Sales> byDay = figures.salesOfDays(store.id(), rule.channel(), days);
            actual = byDay.getOrDefault(day, Sales.NONE);
            for (LocalDate before : days.subList(1, days.size())) {
                baseline = baseline.plus(byDay.getOrDefault(before, Sales.NONE));
            }
            label = label(rule) + channel(rule) + " on " + day(day);
        }
        label += " against the same " + ("hour".equals(rule.period()) ? "hour and weekday" : "weekday") + " of the last "
                + weeks + (weeks == 1 ? " week" : " weeks");
        Optional<BigDecimal> value = metric(rule.metric(), actual, 1);
        if (weeks == 0) {
            return new Reading(false, value.orElse(null), null, label);
        }
        Optional<BigDecimal> usual = metric(rule.metric(), baseline, weeks);
        if (value.isEmpty() || usual.isEmpty() || usual.get().signum() == 0) {
            return new Reading(false, value.orElse(null), usual.orElse(null), label);
        }
        BigDecimal deviation = percentChange(value.get(), usual.get());
        BigDecimal tolerance = rule.tolerancePct();
        boolean holds = switch (rule.direction() == null ? "either" : rule.direction()) {
            case "above" -> deviation.compareTo(tolerance) > 0;
            case "below" -> deviation.compareTo(tolerance.negate()) < 0;
            default -> deviation.abs().compareTo(tolerance) > 0;
        };
        return new Reading(holds, value.get(), usual.get(), label);
    }

    private Sales salesOfHour(Rule rule, Store store, ZonedDateTime hour) {
        return figures.salesBetween(store.id(), rule.channel(), hour.toInstant(), hour.plusHours(1).toInstant(),
                hour.toLocalDate(), hour.toLocalDate());
    }

    private Reading customerChange(Rule rule, Store store, ZoneId zone, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        boolean weekly = "week".equals(rule.period());
        LocalDate start = weekly ? today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(1)
                : today.withDayOfMonth(1).minusMonths(1);
        LocalDate previous = weekly ? start.minusWeeks(1) : start.minusMonths(1);
        LocalDate end = weekly ? start.plusDays(6) : start.plusMonths(1).minusDays(1);
        String label = customerLabel(rule.metric()) + (weekly ? ", week of " + start
                : ", " + start.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + start.getYear())
                + " against the " + rule.period() + " before";
        Optional<BigDecimal> current = customerFigure(rule.metric(), store, previous, start, end);
        Optional<BigDecimal> before = customerFigure(rule.metric(), store, weekly ? previous.minusWeeks(1)
                : previous.minusMonths(1), previous, start.minusDays(1));
        if (current.isEmpty() || before.isEmpty() || before.get().signum() == 0) {
            return new Reading(false, current.orElse(null), before.orElse(null), label);
        }
        BigDecimal fall = percentChange(current.get(), before.get()).negate();
        return new Reading(fall.compareTo(rule.dropPct()) >= 0, current.get(), before.get(), label);
    }

    /** The figure for {@code from..to}, whose period before starts on {@code before}. */
    private Optional<BigDecimal> customerFigure(String metric, Store store, LocalDate before, LocalDate from,
                                                LocalDate to) {
        return switch (metric) {
            case "new_customers" -> Optional.of(BigDecimal.valueOf(figures.newCustomers(store.id(), from, to)));
            case "retention" -> figures.retained(store.id(), before, from, to).percent();
            case "repeat_rate" -> figures.repeating(store.id(), from, to).percent();
            default -> throw new IllegalArgumentException("Not a customer metric: " + metric);
        };
    }

    /** The sales metric of {@code periods} periods' sales, per period; an average ticket needs a transaction. */
    private static Optional<BigDecimal> metric(String metric, Sales sales, int periods) {
        return switch (metric) {
            case "net_sales" -> Optional.of(sales.net().divide(BigDecimal.valueOf(periods), 2, RoundingMode.HALF_UP));
            case "transactions" -> Optional.of(BigDecimal.valueOf(sales.transactions())
                    .divide(BigDecimal.valueOf(periods), 2, RoundingMode.HALF_UP));
            case "average_ticket" -> sales.transactions() == 0 ? Optional.empty()
                    : Optional.of(sales.net().divide(BigDecimal.valueOf(sales.transactions()), 2, RoundingMode.HALF_UP));
            default -> throw new IllegalArgumentException("Not a sales metric: " + metric);
        };
    }

    /** (value − reference) / reference in percent, one decimal. */
    public static BigDecimal percentChange(BigDecimal value, BigDecimal reference) {
        return value.subtract(reference).multiply(HUNDRED).divide(reference, 1, RoundingMode.HALF_UP);
    }

    private static String label(Rule rule) {
        return switch (rule.metric()) {
            case "net_sales" -> "net sales";
            case "average_ticket" -> "average ticket";
            default -> rule.metric();
        };
    }

    private static String customerLabel(String metric) {
        return switch (metric) {
            case "new_customers" -> "new customers";
            case "retention" -> "retention rate (%)";
            default -> "repeat rate (%)";
        };
    }

    private static String channel(Rule rule) {
        return rule.channel() == null ? "" : " (" + rule.channel().replace('_', '-') + ")";
    }

    private static String day(LocalDate day) {
        return day.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + day;
    }
}
