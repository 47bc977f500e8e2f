package dev.levain.api.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** One sales report sent: to whom, which period, when, by which replica, and its total (one currency's). */
public record ReportRun(String recipient, String frequency, LocalDate periodFrom, LocalDate periodTo, Instant sentAt,
                        String sentBy, String currency, BigDecimal netSales, Long transactions) {
}
