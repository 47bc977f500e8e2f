package dev.levain.alert.service;

import dev.levain.alert.messaging.ConsumerLagProbe;
import dev.levain.alert.repository.CoreRepository;
import dev.levain.alert.repository.RuleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Pipeline-health rules: the normalizer's consumer lag on the raw topics, and the events it
 * rejected (dead letters, {@code core.rejected_event}) in the last hour, against each rule's limits.
 */
@ApplicationScoped
public class PipelineHealthRule {

    public static final String CONSUMER_LAG = "consumer_lag";
    public static final String DEAD_LETTERS = "dead_letters";
    private static final Duration DEAD_LETTER_WINDOW = Duration.ofHours(1);

    private final RuleRepository rules;
    private final CoreRepository core;
    private final ConsumerLagProbe lagProbe;
    private final AlertLifecycle lifecycle;

    public PipelineHealthRule(RuleRepository rules, CoreRepository core, ConsumerLagProbe lagProbe,
                              AlertLifecycle lifecycle) {
        this.rules = rules;
        this.core = core;
        this.lagProbe = lagProbe;
        this.lifecycle = lifecycle;
    }

    public void evaluate(Instant now) {
        List<Rule> healthRules = rules.enabledOfKinds(RuleKind.PIPELINE_HEALTH.code());
        if (healthRules.isEmpty()) {
            return;
        }
        boolean lagWatched = healthRules.stream().anyMatch(rule -> rule.maxLag() != null);
        Optional<Long> lag = lagWatched ? lagProbe.lag() : Optional.empty();
        Optional<Long> deadLetters = core.rejectedEventsSince(now.minus(DEAD_LETTER_WINDOW));
        for (Rule rule : healthRules) {
            // An unknown measure (Kafka unreachable) leaves the alert as it was.
            if (rule.maxLag() != null && lag.isPresent()) {
                observe(rule, CONSUMER_LAG, lag.get(), rule.maxLag(), now);
            }
            if (rule.maxDeadLetters() != null && deadLetters.isPresent()) {
                observe(rule, DEAD_LETTERS, deadLetters.get(), rule.maxDeadLetters(), now);
            }
        }
    }

    private void observe(Rule rule, String signal, long value, long limit, Instant now) {
        lifecycle.observe(rule, new AlertKey(rule.id(), AlertKey.PIPELINE, signal),
                new Reading(value > limit, BigDecimal.valueOf(value), BigDecimal.valueOf(limit), signal.replace('_', ' ')),
                now);
    }
}
