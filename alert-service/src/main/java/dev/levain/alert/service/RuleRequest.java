package dev.levain.alert.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.util.List;

/** A rule as created or replaced through the admin API; {@link RuleService} validates it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RuleRequest(
        String name,
        String kind,
        String storeCode,
        BigDecimal threshold,
        BigDecimal minDays,
        Integer silentMinutes,
        Long maxLag,
        Integer maxDeadLetters,
        String metric,
        String direction,
        Integer windowMinutes,
        String channel,
        String period,
        BigDecimal tolerancePct,
        Integer baselineWeeks,
        BigDecimal dropPct,
        List<String> channels,
        Boolean enabled) {
}
