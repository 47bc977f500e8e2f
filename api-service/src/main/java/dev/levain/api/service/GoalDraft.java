package dev.levain.api.service;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** A validated {@link GoalInput}, ready to be stored. */
public record GoalDraft(String name, GoalMetric metric, List<String> stores, LocalDate baselineFrom,
                        LocalDate baselineTo, BigDecimal targetChangePercent, LocalDate deadline) {
}
