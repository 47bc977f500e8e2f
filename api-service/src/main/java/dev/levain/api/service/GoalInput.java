package dev.levain.api.service;

import java.math.BigDecimal;
import java.util.List;

/**
 * A goal as an admin writes it (POST, PUT). Dates are ISO strings, read by {@link GoalService} so that a bad
 * one is refused naming its field.
 */
public record GoalInput(
        String name,
        String metric,
        List<String> stores,
        String baselineFrom,
        String baselineTo,
        BigDecimal targetChangePercent,
        String deadline) {
}
