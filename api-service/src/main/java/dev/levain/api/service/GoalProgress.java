package dev.levain.api.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * How far a goal has come (DESIGN.md §4): the metric over the baseline period ({@code baseline}), the value
 * aimed at ({@code target} = baseline × (1 + target change / 100)), the metric over the latest window of the
 * baseline's length ending yesterday ({@code current}), progress = (current − baseline) / (target − baseline)
 * in percent, the progress a straight line from the baseline's end to the deadline expects by now, and
 * whether the goal is on track; {@code series} has one point per week or month since the baseline's end.
 * The values of a cost metric are absent for viewers; progress is shown.
 */
public record GoalProgress(
        Goal goal,
        String granularity,
        @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal baseline,
        @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal target,
        LocalDate currentFrom,
        LocalDate currentTo,
        @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal current,
        BigDecimal progressPercent,
        BigDecimal expectedPercent,
        Boolean onTrack,
        List<Point> series,
        Freshness freshness) {

    /** The goal as it stood on {@code date}: the metric over the window of the baseline's length ending then. */
    public record Point(LocalDate date, LocalDate windowFrom, @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal value,
                        BigDecimal progressPercent, BigDecimal expectedPercent, Boolean onTrack) {
    }
}
