package dev.levain.api.service;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The sales report of one period, as the KPI API answers it for an admin: each store's and the total's (per
 * currency) sales
 * against the previous period and the same period last year, their customers against the previous period,
 * their inventory turnover, the goals' progress and the alerts firing when it was made ({@code alertsUnavailable}
 * says why none could be read).
 */
public record Report(
        ReportFrequency frequency,
        Period period,
        Period previousPeriod,
        Period samePeriodLastYear,
        List<Section> sections,
        List<GoalLine> goals,
        List<FiringAlert> alerts,
        Optional<String> alertsUnavailable) {

    /** The stores of one currency (their figures add up) and their total. */
    public record Section(String currency, List<StoreLine> stores, StoreLine total) {
    }

    /** One store (or all of them, {@code store} "TOTAL"): its sales, customers and turnover. */
    public record StoreLine(String store, String name, SalesFigures sales, SalesFigures previousSales,
                            SalesFigures lastYearSales, CustomerFigures customers, CustomerFigures previousCustomers,
                            TurnoverFigures turnover) {

        /** The change of net sales against the previous period, in percent of it. */
        public Optional<BigDecimal> netChangeVsPrevious() {
            return change(sales.netSales(), previousSales.netSales());
        }

        public Optional<BigDecimal> netChangeVsLastYear() {
            return change(sales.netSales(), lastYearSales.netSales());
        }
    }

    /** A goal as its progress endpoint shows it (values absent for a metric that has none yet). */
    public record GoalLine(String name, String metric, LocalDate deadline, BigDecimal baseline, BigDecimal target,
                           BigDecimal current, BigDecimal progressPercent, BigDecimal expectedPercent, Boolean onTrack) {
    }

    /** The change of {@code now} against {@code before} in percent, as the KPI API computes it; empty without one. */
    public static Optional<BigDecimal> change(BigDecimal now, BigDecimal before) {
        return Optional.ofNullable(SalesKpiService.percent(now, before));
    }
}
