package dev.levain.alert.service;

import dev.levain.alert.config.AlertConfig;
import dev.levain.alert.repository.AlertRepository;
import dev.levain.alert.repository.RuleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Moves alerts through {@code ok → pending → firing → resolved}. A condition must hold for the
 * pending period before it fires, and stay clear for the cooldown before it resolves, so that a
 * level flapping around its threshold is one firing and one resolution. Callers own the transaction.
 */
@ApplicationScoped
public class AlertLifecycle {

    private static final Logger LOG = Logger.getLogger(AlertLifecycle.class);

    private final AlertRepository alerts;
    private final RuleRepository rules;
    private final Notifier notifier;
    private final AlertConfig config;
    private final AlertMetrics metrics;

    public AlertLifecycle(AlertRepository alerts, RuleRepository rules, Notifier notifier, AlertConfig config,
                          AlertMetrics metrics) {
        this.metrics = metrics;
        this.alerts = alerts;
        this.rules = rules;
        this.notifier = notifier;
        this.config = config;
    }

    /** Applies a fresh reading of {@code rule}'s condition for {@code key}. */
    public void observe(Rule rule, AlertKey key, Reading reading, Instant now) {
        metrics.evaluated(rule);
        var open = alerts.lockOpen(key);
        if (open.isEmpty()) {
            if (reading.holds()) {
                Alert pending = alerts.openPending(key, reading, now);
                LOG.infof("Alert %d pending: rule %d (%s) at %s%s; it fires if that still holds in %s", pending.id(),
                        rule.id(), rule.kind(), where(pending), about(pending), config.pendingPeriod());
                // Another transaction may have opened it first: then go on from its state.
                onHolding(rule, pending.reading(reading), now);
            }
            return;
        }
        Alert alert = open.get().reading(reading);
        if (reading.holds()) {
            onHolding(rule, alert.clearSince(null), now);
        } else if (alert.pending()) {
            alerts.update(alert.ended(Alert.CANCELLED, now), now);
        } else {
            onClear(rule, alert.clearSince(alert.clearSince() != null ? alert.clearSince() : now), now);
        }
    }

    /** Moves on what time alone moves: pending periods over, reminders due, cooldowns over, rules disabled. */
    public int advance(Instant now) {
        List<Alert> due = alerts.lockDue(now.minus(config.pendingPeriod()), now.minus(config.repeatInterval()),
                now.minus(config.cooldown()));
        if (due.isEmpty()) {
            return 0;
        }
        Map<Long, Rule> byId = rules.enabled().stream()
                .collect(Collectors.toMap(Rule::id, Function.identity()));
        for (Alert alert : due) {
            Rule rule = byId.get(alert.ruleId());
            if (rule == null) {
                resolveOfDisabledRule(alert, now);
            } else if (alert.pending()) {
                onHolding(rule, alert, now);
            } else if (alert.clearSince() != null) {
                onClear(rule, alert, now);
            } else {
                remind(rule, alert, now);
            }
        }
        return due.size();
    }

    private void onHolding(Rule rule, Alert alert, Instant now) {
        if (alert.pending() && !alert.startedAt().plus(config.pendingPeriod()).isAfter(now)) {
            Alert fired = alert.fired(now);
            alerts.update(fired, now);
            LOG.infof("Alert %d fired: rule %d (%s) at %s%s", fired.id(), rule.id(), rule.kind(), where(fired),
                    about(fired));
            notifier.tell(rule, fired, AlertEvent.FIRING, now);
        } else if (alert.firing() && !alert.lastNotifiedAt().plus(config.repeatInterval()).isAfter(now)) {
            remind(rule, alert, now);
        } else {
            alerts.update(alert, now);
        }
    }

    private void onClear(Rule rule, Alert alert, Instant now) {
        if (!alert.clearSince().plus(config.cooldown()).isAfter(now)) {
            Alert resolved = alert.ended(Alert.RESOLVED, now);
            alerts.update(resolved, now);
            LOG.infof("Alert %d resolved: rule %d (%s)", resolved.id(), rule.id(), rule.kind());
            notifier.tell(rule, resolved, AlertEvent.RESOLVED, now);
        } else {
            alerts.update(alert, now);
        }
    }

    private void remind(Rule rule, Alert alert, Instant now) {
        Alert reminded = alert.reminded(now);
        alerts.update(reminded, now);
        notifier.tell(rule, reminded, AlertEvent.REMINDER, now);
    }

    private static String where(Alert alert) {
        return alert.storeCode() == null ? "the pipeline" : "store " + alert.storeCode();
    }

    /** What the alert is about beyond its store (a product), if anything. */
    private static String about(Alert alert) {
        return alert.subject() == null || alert.subject().isBlank() ? "" : ", " + alert.subject();
    }

    /** A disabled rule's alerts end without a message: nobody watches that condition any more. */
    private void resolveOfDisabledRule(Alert alert, Instant now) {
        alerts.update(alert.ended(alert.pending() ? Alert.CANCELLED : Alert.RESOLVED, now), now);
    }
}
