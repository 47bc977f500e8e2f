package dev.levain.api.service;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A business goal: move {@code metric} over {@code stores} (empty = every store) by
 * {@code targetChangePercent} (15 = +15%, −10 = −10%) against its value over the baseline period, by the
 * deadline.
 */
public record Goal(
        long id,
        String name,
        String metric,
        List<String> stores,
        LocalDate baselineFrom,
        LocalDate baselineTo,
        BigDecimal targetChangePercent,
        LocalDate deadline,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        String createdBy) {

    public Period baseline() {
        return new Period(baselineFrom, baselineTo);
    }
}
