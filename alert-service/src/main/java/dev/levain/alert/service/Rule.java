package dev.levain.alert.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** An alert rule as stored; parameters a kind does not use are null. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Rule(
        long id,
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
        boolean enabled,
        Instant createdAt,
        Instant updatedAt) {

    public RuleKind ruleKind() {
        return RuleKind.of(kind).orElseThrow();
    }

    public boolean appliesTo(String store) {
        return storeCode == null || storeCode.equals(store);
    }
}
