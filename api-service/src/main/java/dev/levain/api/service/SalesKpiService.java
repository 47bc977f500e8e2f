package dev.levain.api.service;

import dev.levain.api.repository.SalesKpiRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Sales KPIs computed exactly as DESIGN.md §4 defines them. */
@ApplicationScoped
public class SalesKpiService {

    static final int MAX_DAYS = 366;

    private final SalesKpiRepository repository;

    public SalesKpiService(SalesKpiRepository repository) {
        this.repository = repository;
    }

    /** Daily net sales, transactions and average ticket per store over [from, to], both included. */
    public DailySalesReport daily(String store, String from, String to) {
        LocalDate first = date("from", from);
        LocalDate last = date("to", to);
        if (last.isBefore(first)) {
            throw new InvalidQueryException("to", "must not be before from");
        }
        if (ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            throw new InvalidQueryException("to", "the period must not exceed " + MAX_DAYS + " days");
        }
        String storeCode = store == null || store.isBlank() ? null : store.trim().toUpperCase(java.util.Locale.ROOT);
        if (storeCode != null && !repository.storeExists(storeCode)) {
            throw new UnknownStoreException(storeCode);
        }
        List<DailySales> days = repository.dailySales(storeCode, first, last).stream()
                .map(SalesKpiService::withAverageTicket)
                .toList();
        return new DailySalesReport(storeCode, first, last, days);
    }

    private static DailySales withAverageTicket(DailySales day) {
        BigDecimal average = day.transactions() == 0 ? null
                : day.netSales().divide(BigDecimal.valueOf(day.transactions()), 2, RoundingMode.HALF_EVEN);
        return new DailySales(day.store(), day.businessDate(), day.currency(), day.netSales(), day.transactions(), average);
    }

    private static LocalDate date(String parameter, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidQueryException(parameter, "is required, as an ISO date such as 2026-11-27");
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException(parameter, "must be an ISO date such as 2026-11-27, not " + value);
        }
    }
}
