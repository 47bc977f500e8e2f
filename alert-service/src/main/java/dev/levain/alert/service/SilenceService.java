package dev.levain.alert.service;

import dev.levain.alert.repository.RuleRepository;
import dev.levain.alert.repository.SilenceRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Creates, lists and ends silences. */
@ApplicationScoped
public class SilenceService {

    private final SilenceRepository silences;
    private final RuleRepository rules;
    private final Clock clock;

    public SilenceService(SilenceRepository silences, RuleRepository rules, Clock clock) {
        this.silences = silences;
        this.rules = rules;
        this.clock = clock;
    }

    @Transactional
    public Silence create(SilenceRequest request) {
        Instant now = clock.instant();
        List<FieldError> errors = new ArrayList<>();
        if (request == null) {
            throw new InvalidInputException(List.of(new FieldError("body", "a JSON silence is required")));
        }
        if (request.ruleId() == null && (request.storeCode() == null || request.storeCode().isBlank())) {
            errors.add(new FieldError("rule_id", "rule_id or store_code (or both) is required"));
        }
        if (request.ruleId() != null && rules.find(request.ruleId()).isEmpty()) {
            errors.add(new FieldError("rule_id", "no rule " + request.ruleId()));
        }
        if (request.until() == null || !request.until().isAfter(now)) {
            errors.add(new FieldError("until", "is required, an ISO-8601 time in the future"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return silences.insert(request, now);
    }

    @Transactional
    public Silence expire(long id) {
        return silences.expire(id, clock.instant()).orElseThrow(() -> new NotFoundException("No silence " + id));
    }

    @Transactional
    public Page<Silence> list(int page, int size) {
        return new Page<>(page, size, silences.page(page, size));
    }
}
