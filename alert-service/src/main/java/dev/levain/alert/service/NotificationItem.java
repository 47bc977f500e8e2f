package dev.levain.alert.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;

/** One alert line of a message: what fired, was reminded of or resolved, where, at which level. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record NotificationItem(
        long alertId,
        long alertEventId,
        String event,
        long ruleId,
        String ruleName,
        String ruleKind,
        String storeCode,
        String subject,
        String subjectName,
        BigDecimal level,
        BigDecimal threshold,
        Instant at) {
}
