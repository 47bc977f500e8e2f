package dev.levain.alert.service;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Checks a rule request and names every field that is wrong. */
final class RuleValidator {

    static final Set<String> CHANNELS = Set.of("slack", "email");
    static final List<String> SALES_METRICS = List.of("net_sales", "transactions", "average_ticket");
    static final List<String> CUSTOMER_METRICS = List.of("new_customers", "retention", "repeat_rate");
    static final List<String> SALES_CHANNELS = List.of("in_store", "delivery");
    static final int MAX_WINDOW_MINUTES = 7 * 24 * 60;
    static final int MAX_BASELINE_WEEKS = 12;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final int MAX_NAME = 200;

    private RuleValidator() {
    }

    static void validate(RuleRequest rule) {
        List<FieldError> errors = new ArrayList<>();
        if (rule == null) {
            throw new InvalidInputException(List.of(new FieldError("body", "a JSON rule is required")));
        }
        if (rule.name() == null || rule.name().isBlank()) {
            errors.add(new FieldError("name", "is required"));
        } else if (rule.name().length() > MAX_NAME) {
            errors.add(new FieldError("name", "is longer than " + MAX_NAME + " characters"));
        }
        Optional<RuleKind> kind = Optional.ofNullable(rule.kind()).flatMap(RuleKind::of);
        if (kind.isEmpty()) {
            errors.add(new FieldError("kind", "must be one of low_stock, out_of_stock, days_of_supply, store_silent, "
                    + "pipeline_health, sales_threshold, sales_unusual, customer_change"));
        } else {
            checkParameters(kind.get(), rule, errors);
        }
        if (rule.storeCode() != null && rule.storeCode().isBlank()) {
            errors.add(new FieldError("store_code", "is blank: leave it out for every store"));
        }
        if (rule.channels() != null && (rule.channels().isEmpty() || !CHANNELS.containsAll(rule.channels()))) {
            errors.add(new FieldError("channels", "must be a non-empty list of slack, email"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    private static void checkParameters(RuleKind kind, RuleRequest rule, List<FieldError> errors) {
        switch (kind) {
            case LOW_STOCK -> {
                nonNegative("threshold", rule.threshold(), errors);
                unused(kind, rule, errors, "threshold");
            }
            case OUT_OF_STOCK -> unused(kind, rule, errors);
            case DAYS_OF_SUPPLY -> {
                if (rule.minDays() == null || rule.minDays().signum() <= 0) {
                    errors.add(new FieldError("min_days", "is required for days_of_supply and must be > 0"));
                }
                unused(kind, rule, errors, "min_days");
            }
            case STORE_SILENT -> {
                if (rule.silentMinutes() == null || rule.silentMinutes() < 1 || rule.silentMinutes() > 1440) {
                    errors.add(new FieldError("silent_minutes", "is required for store_silent, 1 to 1440"));
                }
                unused(kind, rule, errors, "silent_minutes");
            }
            case PIPELINE_HEALTH -> {
                if (rule.maxLag() == null && rule.maxDeadLetters() == null) {
                    errors.add(new FieldError("max_lag", "max_lag or max_dead_letters is required for pipeline_health"));
                }
                if (rule.maxLag() != null && rule.maxLag() < 0) {
                    errors.add(new FieldError("max_lag", "must be >= 0"));
                }
                if (rule.maxDeadLetters() != null && rule.maxDeadLetters() < 0) {
                    errors.add(new FieldError("max_dead_letters", "must be >= 0"));
                }
                if (rule.storeCode() != null) {
                    errors.add(new FieldError("store_code", "is not used by pipeline_health (the pipeline is shared)"));
                }
                unused(kind, rule, errors, "max_lag", "max_dead_letters");
            }
            case SALES_THRESHOLD -> {
                oneOf("metric", rule.metric(), SALES_METRICS, true, kind, errors);
                oneOf("direction", rule.direction(), List.of("above", "below"), true, kind, errors);
                if (rule.threshold() == null) {
                    errors.add(new FieldError("threshold", "is required for sales_threshold"));
                }
                nonNegative("threshold", rule.threshold(), errors);
                if (rule.windowMinutes() == null || rule.windowMinutes() < 5 || rule.windowMinutes() > MAX_WINDOW_MINUTES) {
                    errors.add(new FieldError("window_minutes", "is required for sales_threshold, 5 to "
                            + MAX_WINDOW_MINUTES));
                }
                oneOf("channel", rule.channel(), SALES_CHANNELS, false, kind, errors);
                unused(kind, rule, errors, "metric", "direction", "threshold", "window_minutes", "channel");
            }
            case SALES_UNUSUAL -> {
                oneOf("metric", rule.metric(), SALES_METRICS, true, kind, errors);
                oneOf("period", rule.period(), List.of("day", "hour"), true, kind, errors);
                if (rule.tolerancePct() == null || rule.tolerancePct().signum() <= 0) {
                    errors.add(new FieldError("tolerance_pct", "is required for sales_unusual and must be > 0"));
                }
                if (rule.baselineWeeks() != null && (rule.baselineWeeks() < 1 || rule.baselineWeeks() > MAX_BASELINE_WEEKS)) {
                    errors.add(new FieldError("baseline_weeks", "must be 1 to " + MAX_BASELINE_WEEKS));
                }
                oneOf("direction", rule.direction(), List.of("above", "below"), false, kind, errors);
                oneOf("channel", rule.channel(), SALES_CHANNELS, false, kind, errors);
                unused(kind, rule, errors, "metric", "period", "tolerance_pct", "baseline_weeks", "direction", "channel");
            }
            case CUSTOMER_CHANGE -> {
                oneOf("metric", rule.metric(), CUSTOMER_METRICS, true, kind, errors);
                oneOf("period", rule.period(), List.of("week", "month"), true, kind, errors);
                if (rule.dropPct() == null || rule.dropPct().signum() <= 0 || rule.dropPct().compareTo(HUNDRED) > 0) {
                    errors.add(new FieldError("drop_pct", "is required for customer_change, more than 0 and at most 100"));
                }
                unused(kind, rule, errors, "metric", "period", "drop_pct");
            }
        }
    }

    /** A value among {@code allowed}: required, or optional when absent. */
    private static void oneOf(String field, String value, List<String> allowed, boolean required, RuleKind kind,
                              List<FieldError> errors) {
        if (value == null) {
            if (required) {
                errors.add(new FieldError(field, "is required for " + kind.code() + ": one of " + String.join(", ", allowed)));
            }
        } else if (!allowed.contains(value)) {
            errors.add(new FieldError(field, "must be one of " + String.join(", ", allowed) + " for " + kind.code()));
        }
    }

    private static void nonNegative(String field, BigDecimal value, List<FieldError> errors) {
        if (value != null && value.signum() < 0) {
            errors.add(new FieldError(field, "must be >= 0"));
        }
    }

    /** A parameter of another kind is a mistake to point out, not to ignore. */
    private static void unused(RuleKind kind, RuleRequest rule, List<FieldError> errors, String... used) {
        Set<String> allowed = Set.of(used);
        check(kind, "threshold", rule.threshold(), allowed, errors);
        check(kind, "min_days", rule.minDays(), allowed, errors);
        check(kind, "silent_minutes", rule.silentMinutes(), allowed, errors);
        check(kind, "max_lag", rule.maxLag(), allowed, errors);
        check(kind, "max_dead_letters", rule.maxDeadLetters(), allowed, errors);
        check(kind, "metric", rule.metric(), allowed, errors);
        check(kind, "direction", rule.direction(), allowed, errors);
        check(kind, "window_minutes", rule.windowMinutes(), allowed, errors);
        check(kind, "channel", rule.channel(), allowed, errors);
        check(kind, "period", rule.period(), allowed, errors);
        check(kind, "tolerance_pct", rule.tolerancePct(), allowed, errors);
        check(kind, "baseline_weeks", rule.baselineWeeks(), allowed, errors);
        check(kind, "drop_pct", rule.dropPct(), allowed, errors);
    }

    private static void check(RuleKind kind, String field, Object value, Set<String> allowed, List<FieldError> errors) {
        if (value != null && !allowed.contains(field)) {
            errors.add(new FieldError(field, "is not used by " + kind.code()));
        }
    }
}
