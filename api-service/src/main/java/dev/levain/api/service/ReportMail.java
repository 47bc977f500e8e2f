package dev.levain.api.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The sales report as a mail client shows it: an HTML part (tables, net sales and goals as inline bars, no
 * image to fetch) and a plain-text part with the same figures.
 */
public final class ReportMail {

    private static final DateTimeFormatter FIRED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final String NONE = "—";

    private ReportMail() {
    }

    public static String subject(Report report) {
        return "Levain " + report.frequency().code() + " sales report, " + dates(report.period());
    }

    /** The file name of its workbook: {@code levain-weekly-2026-11-23.xlsx}. */
    public static String workbookName(Report report) {
        return "levain-" + report.frequency().code() + "-" + report.period().from() + ".xlsx";
    }

    public static String html(Report report) {
        StringBuilder html = new StringBuilder(8192);
        html.append("<!DOCTYPE html><html><body style=\"font-family:Arial,Helvetica,sans-serif;color:#222\">")
                .append("<h2 style=\"margin-bottom:4px\">").append(escape(subject(report))).append("</h2>")
                .append("<p style=\"color:#666;margin-top:0\">Compared with ").append(dates(report.previousPeriod()))
                .append(" (previous) and ").append(dates(report.samePeriodLastYear()))
                .append(" (last year). Net sales exclude tax and refunds. The figures are attached as a workbook.</p>");
        for (Report.Section section : report.sections()) {
            htmlSection(html, section);
        }
        htmlGoals(html, report.goals());
        htmlAlerts(html, report);
        return html.append("</body></html>").toString();
    }

    public static String text(Report report) {
        StringBuilder text = new StringBuilder(4096);
        text.append(subject(report)).append("\n\nCompared with ").append(dates(report.previousPeriod()))
                .append(" (previous) and ").append(dates(report.samePeriodLastYear())).append(" (last year).\n");
        for (Report.Section section : report.sections()) {
            text.append("\nSales (").append(section.currency()).append(")\n");
            text.append(String.format(Locale.ROOT, "%-24s %12s %9s %9s %7s %9s %6s %9s %9s%n", "Store", "Net sales",
                    "vs prev", "vs LY", "Trans.", "Avg tick.", "New", "Retained", "Turnover"));
            for (Report.StoreLine line : withTotal(section)) {
                text.append(String.format(Locale.ROOT, "%-24s %12s %9s %9s %7d %9s %6d %9s %9s%n",
                        cut(line.name(), 24), money(line.sales().netSales()), percent(line.netChangeVsPrevious()),
                        percent(line.netChangeVsLastYear()), line.sales().transactions(),
                        money(line.sales().averageTicket()), line.customers().newCustomers(), retained(line.customers()),
                        number(line.turnover().turnover())));
            }
        }
        text.append("\nGoals\n");
        if (report.goals().isEmpty()) {
            text.append("  none set\n");
        }
        for (Report.GoalLine goal : report.goals()) {
            text.append("  ").append(goal.name()).append(": ").append(share(goal.progressPercent()))
                    .append(" of the way (").append(share(goal.expectedPercent()))
                    .append(" expected by now), ").append(onTrack(goal)).append(", deadline ").append(goal.deadline())
                    .append('\n');
        }
        text.append("\nAlerts firing\n");
        report.alertsUnavailable().ifPresent(why -> text.append("  unavailable: ").append(why).append('\n'));
        if (report.alertsUnavailable().isEmpty() && report.alerts().isEmpty()) {
            text.append("  none\n");
        }
        for (FiringAlert alert : report.alerts()) {
            text.append("  ").append(alertText(alert)).append('\n');
        }
        return text.toString();
    }

    private static void htmlSection(StringBuilder html, Report.Section section) {
        BigDecimal top = section.stores().stream().map(line -> line.sales().netSales())
                .max(BigDecimal::compareTo).filter(max -> max.signum() > 0).orElse(BigDecimal.ONE);
        html.append("<h3>Sales per store (").append(escape(section.currency())).append(")</h3>")
                .append("<table cellpadding=\"4\" cellspacing=\"0\" style=\"border-collapse:collapse;font-size:13px\">")
                .append("<tr style=\"background:#f2efe9;text-align:right\"><th style=\"text-align:left\">Store</th>")
                .append("<th>Net sales</th><th></th><th>vs previous</th><th>vs last year</th><th>Transactions</th>")
                .append("<th>Average ticket</th><th>New customers</th><th>Retained</th><th>Turnover</th>")
                .append("<th>Days of inventory</th></tr>");
        for (Report.StoreLine line : withTotal(section)) {
            boolean total = line == section.total();
            html.append("<tr style=\"text-align:right;border-top:1px solid #ddd").append(total ? ";font-weight:bold" : "")
                    .append("\"><td style=\"text-align:left\">").append(escape(line.name())).append("</td><td>")
                    .append(money(line.sales().netSales())).append("</td><td style=\"text-align:left\">")
                    .append(total ? "" : bar(line.sales().netSales(), top, "#c8873a")).append("</td><td>")
                    .append(percent(line.netChangeVsPrevious())).append("</td><td>")
                    .append(percent(line.netChangeVsLastYear())).append("</td><td>")
                    .append(line.sales().transactions()).append("</td><td>")
                    .append(money(line.sales().averageTicket())).append("</td><td>")
                    .append(line.customers().newCustomers()).append("</td><td>")
                    .append(escape(retained(line.customers()))).append("</td><td>")
                    .append(number(line.turnover().turnover())).append("</td><td>")
                    .append(number(line.turnover().daysOfInventory())).append("</td></tr>");
        }
        html.append("</table>");
    }

    private static void htmlGoals(StringBuilder html, List<Report.GoalLine> goals) {
        html.append("<h3>Goals</h3>");
        if (goals.isEmpty()) {
            html.append("<p>No goal is set.</p>");
            return;
        }
        html.append("<table cellpadding=\"4\" cellspacing=\"0\" style=\"font-size:13px\">");
        for (Report.GoalLine goal : goals) {
            BigDecimal shown = goal.progressPercent() == null ? BigDecimal.ZERO
                    : goal.progressPercent().max(BigDecimal.ZERO).min(BigDecimal.valueOf(100));
            html.append("<tr><td>").append(escape(goal.name())).append("</td><td>")
                    .append(bar(shown, BigDecimal.valueOf(100), Boolean.FALSE.equals(goal.onTrack()) ? "#c0392b" : "#2e7d32"))
                    .append("</td><td>").append(share(goal.progressPercent()))
                    .append(" of the way, ").append(share(goal.expectedPercent()))
                    .append(" expected by now: ").append(onTrack(goal)).append(" (deadline ").append(goal.deadline())
                    .append(")</td></tr>");
        }
        html.append("</table>");
    }

    private static void htmlAlerts(StringBuilder html, Report report) {
        html.append("<h3>Alerts firing</h3>");
        if (report.alertsUnavailable().isPresent()) {
            html.append("<p>Unavailable: ").append(escape(report.alertsUnavailable().get())).append("</p>");
            return;
        }
        if (report.alerts().isEmpty()) {
            html.append("<p>None.</p>");
            return;
        }
        html.append("<ul>");
        report.alerts().forEach(alert -> html.append("<li>").append(escape(alertText(alert))).append("</li>"));
        html.append("</ul>");
    }

    private static List<Report.StoreLine> withTotal(Report.Section section) {
        return Stream.concat(section.stores().stream(), Stream.of(section.total()))
                .toList();
    }

    /** An inline bar of {@code value} / {@code top}, 120 px wide at most: a table cell, drawn by any mail client. */
    private static String bar(BigDecimal value, BigDecimal top, String colour) {
        int width = value == null || value.signum() <= 0 ? 0
                : value.multiply(BigDecimal.valueOf(120)).divide(top, 0, RoundingMode.HALF_UP).intValue();
        return "<div style=\"background:" + colour + ";height:10px;width:" + Math.max(width, 1) + "px\"></div>";
    }

    private static String alertText(FiringAlert alert) {
        StringBuilder text = new StringBuilder(alert.rule());
        if (alert.store() != null && !alert.store().isBlank()) {
            text.append(" at ").append(alert.store());
        }
        if (alert.subject() != null && !alert.subject().isBlank()) {
            text.append(": ").append(alert.subject());
        }
        if (alert.level() != null) {
            text.append(", level ").append(alert.level().stripTrailingZeros().toPlainString());
        }
        if (alert.threshold() != null) {
            text.append(" (threshold ").append(alert.threshold().stripTrailingZeros().toPlainString()).append(')');
        }
        if (alert.firedAt() != null) {
            text.append(", since ").append(FIRED.format(alert.firedAt()));
        }
        return text.toString();
    }

    private static String retained(CustomerFigures customers) {
        return customers.retainedCustomers() + (customers.retentionRate() == null ? ""
                : " (" + customers.retentionRate().movePointRight(2).setScale(1, RoundingMode.HALF_UP).toPlainString() + "%)");
    }

    private static String onTrack(Report.GoalLine goal) {
        return goal.onTrack() == null ? "not measured yet" : goal.onTrack() ? "on track" : "behind";
    }

    static String dates(Period period) {
        return period.days() == 1 ? period.from().toString() : period.from() + " to " + period.to();
    }

    private static String money(BigDecimal value) {
        return value == null ? NONE : String.format(Locale.ROOT, "%,.2f", value);
    }

    private static String number(BigDecimal value) {
        return value == null ? NONE : value.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    private static String percent(Optional<BigDecimal> value) {
        return value.map(v -> (v.signum() > 0 ? "+" : "") + v.stripTrailingZeros().toPlainString() + "%").orElse(NONE);
    }

    private static String share(BigDecimal percent) {
        return percent == null ? NONE : percent.setScale(1, RoundingMode.HALF_UP).toPlainString() + "%";
    }

    private static String cut(String value, int width) {
        return value.length() <= width ? value : value.substring(0, width - 1) + "…";
    }

    private static String escape(String value) {
        return value == null ? "" : value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
