package dev.levain.api.service;

import dev.levain.api.config.ApiConfig;
import dev.levain.api.repository.GoalRepository;
import dev.levain.api.repository.StoreRepository;
import dev.levain.api.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Business goals: validated writes (admins) and reads limited to what the caller may see — a viewer limited
 * to some stores sees only the goals over those stores (not those over every store).
 */
@ApplicationScoped
public class GoalService {

    private final GoalRepository goals;
    private final StoreRepository stores;
    private final ApiConfig config;

    public GoalService(GoalRepository goals, StoreRepository stores, ApiConfig config) {
        this.goals = goals;
        this.stores = stores;
        this.config = config;
    }

    public GoalList list(Caller caller) {
        return new GoalList(goals.all().stream().filter(goal -> visible(goal, caller)).toList());
    }

    /** The goal, or 404 when there is none or the caller may not see its stores (its existence is not told). */
    public Goal get(long id, Caller caller) {
        return goals.find(id).filter(goal -> visible(goal, caller)).orElseThrow(() -> new GoalNotFoundException(id));
    }

    public Goal create(GoalInput input, Caller caller) {
        return goals.insert(validated(input), caller.name());
    }

    public Goal replace(long id, GoalInput input) {
        GoalDraft draft = validated(input);
        return goals.update(id, draft).orElseThrow(() -> new GoalNotFoundException(id));
    }

    public void delete(long id) {
        if (!goals.delete(id)) {
            throw new GoalNotFoundException(id);
        }
    }

    static boolean visible(Goal goal, Caller caller) {
        Optional<Set<String>> limit = caller.storeLimit();
        return limit.isEmpty() || (!goal.stores().isEmpty() && limit.get().containsAll(goal.stores()));
    }

    /** Checks every field, naming the first one that is missing or wrong. */
    GoalDraft validated(GoalInput input) {
        if (input == null) {
            throw new InvalidGoalException("body", "a goal is required");
        }
        if (input.name() == null || input.name().isBlank()) {
            throw new InvalidGoalException("name", "is required");
        }
        if (input.metric() == null || input.metric().isBlank()) {
            throw new InvalidGoalException("metric", "is required: one of " + GoalMetric.codes());
        }
        GoalMetric metric = GoalMetric.of(input.metric().trim().toLowerCase(Locale.ROOT)).orElseThrow(() ->
                new InvalidGoalException("metric", "must be one of " + GoalMetric.codes() + ", not " + input.metric()));
        List<String> codes = storeCodes(input.stores());
        LocalDate today = KpiQueries.today(stores.all().stream()
                .filter(store -> codes.isEmpty() || codes.contains(store.code())).toList(), Optional.empty());
        LocalDate from = date("baseline_from", input.baselineFrom());
        LocalDate to = date("baseline_to", input.baselineTo());
        if (from.isAfter(to)) {
            throw new InvalidGoalException("baseline_from", "must not be after baseline_to (" + from + " > " + to + ")");
        }
        if (to.isAfter(today)) {
            throw new InvalidGoalException("baseline_to", "must not be in the future: the baseline is a period already "
                    + "measured (" + to + " > " + today + ")");
        }
        Period baseline = new Period(from, to);
        if (baseline.days() > config.maxRangeDays()) {
            throw new InvalidGoalException("baseline_to", "the baseline covers " + baseline.days() + " days; at most "
                    + config.maxRangeDays() + " are allowed");
        }
        BigDecimal change = input.targetChangePercent();
        if (change == null) {
            throw new InvalidGoalException("target_change_percent", "is required, e.g. 15 for +15% or -10 for −10%");
        }
        if (change.signum() == 0 || change.compareTo(BigDecimal.valueOf(-100)) < 0
                || change.abs().compareTo(BigDecimal.valueOf(10_000)) >= 0) {
            throw new InvalidGoalException("target_change_percent", "must be a change other than 0, from -100 and below "
                    + "10000, not " + change.toPlainString());
        }
        LocalDate deadline = date("deadline", input.deadline());
        if (deadline.isBefore(today)) {
            throw new InvalidGoalException("deadline", "must not be in the past (" + deadline + " < " + today + ")");
        }
        if (!deadline.isAfter(to)) {
            throw new InvalidGoalException("deadline", "must be after the baseline's end (" + to + ")");
        }
        return new GoalDraft(input.name().trim(), metric, codes, from, to, change, deadline);
    }

    /** Upper-cased, each a store that exists; empty = every store. */
    private List<String> storeCodes(List<String> requested) {
        Set<String> codes = new LinkedHashSet<>();
        if (requested != null) {
            for (String code : requested) {
                if (code == null || code.isBlank()) {
                    throw new InvalidGoalException("stores", "must list store codes, not a blank one");
                }
                codes.add(code.trim().toUpperCase(Locale.ROOT));
            }
        }
        for (String code : codes) {
            if (!known(code)) {
                stores.forget();
                if (!known(code)) {
                    throw new InvalidGoalException("stores", "no store has code " + code);
                }
            }
        }
        return new ArrayList<>(codes);
    }

    private boolean known(String code) {
        return stores.all().stream().anyMatch(store -> store.code().equals(code));
    }

    private static LocalDate date(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidGoalException(field, "is required, an ISO date such as 2026-03-31");
        }
        LocalDate date;
        try {
            date = LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidGoalException(field, "must be an ISO date such as 2026-03-31, not " + value);
        }
        if (date.getYear() < KpiQueries.FIRST_YEAR || date.getYear() > KpiQueries.LAST_YEAR) {
            throw new InvalidGoalException(field, "must be between " + KpiQueries.FIRST_YEAR + " and "
                    + KpiQueries.LAST_YEAR + ", not " + value);
        }
        return date;
    }
}
