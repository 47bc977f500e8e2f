package dev.levain.alert.service;

import dev.levain.alert.repository.RuleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;

/** Creates, changes, lists and disables alert rules. */
@ApplicationScoped
public class RuleService {

    private static final List<String> ALL_CHANNELS = List.of("slack", "email");

    private final RuleRepository rules;
    private final Clock clock;

    public RuleService(RuleRepository rules, Clock clock) {
        this.rules = rules;
        this.clock = clock;
    }

    @Transactional
    public Rule create(RuleRequest request) {
        RuleValidator.validate(request);
        return rules.insert(request, channels(request), clock.instant());
    }

    @Transactional
    public Rule replace(long id, RuleRequest request) {
        RuleValidator.validate(request);
        return rules.replace(id, request, channels(request), clock.instant()).orElseThrow(() -> missing(id));
    }

    /** A disabled rule raises nothing new; its open alerts resolve at the next evaluation. */
    @Transactional
    public Rule setEnabled(long id, boolean enabled) {
        return rules.setEnabled(id, enabled, clock.instant()).orElseThrow(() -> missing(id));
    }

    @Transactional
    public Rule get(long id) {
        return rules.find(id).orElseThrow(() -> missing(id));
    }

    @Transactional
    public Page<Rule> list(int page, int size) {
        return new Page<>(page, size, rules.page(page, size));
    }

    private static List<String> channels(RuleRequest request) {
        return request.channels() == null ? ALL_CHANNELS : request.channels().stream().distinct().toList();
    }

    private static NotFoundException missing(long id) {
        return new NotFoundException("No rule " + id);
    }
}
