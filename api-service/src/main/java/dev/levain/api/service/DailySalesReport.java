package dev.levain.api.service;

import java.time.LocalDate;
import java.util.List;

/** The daily sales KPIs of a period, one entry per store and day, days without sales included. */
public record DailySalesReport(String store, LocalDate from, LocalDate to, List<DailySales> days) {
}
