package dev.levain.alert.service;

import dev.levain.alert.config.AlertConfig;
import dev.levain.alert.repository.AlertRepository;
import dev.levain.alert.repository.NotificationRepository;
import dev.levain.alert.repository.RuleRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Queues the daily digest email of the alerts still firing ({@code levain.alert.digest-cron}). */
@ApplicationScoped
public class DigestService {

    private final AlertRepository alerts;
    private final RuleRepository rules;
    private final NotificationRepository outbox;
    private final AlertConfig config;
    private final Clock clock;

    public DigestService(AlertRepository alerts, RuleRepository rules, NotificationRepository outbox, AlertConfig config,
                         Clock clock) {
        this.alerts = alerts;
        this.rules = rules;
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(cron = "${levain.alert.digest-cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        queueDigest();
    }

    /** Queues one digest of every firing alert; none when nothing is firing or no email is configured. */
    @Transactional
    public boolean queueDigest() {
        if (config.email().to().filter(to -> !to.isEmpty()).isEmpty()) {
            return false;
        }
        List<Alert> open = alerts.firing();
        if (open.isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        Map<Long, Rule> byId = rules.enabled().stream().collect(Collectors.toMap(Rule::id, Function.identity()));
        List<NotificationItem> items = open.stream().filter(alert -> byId.containsKey(alert.ruleId()))
                .map(alert -> item(byId.get(alert.ruleId()), alert)).toList();
        if (items.isEmpty()) {
            return false;
        }
        outbox.insert(Notification.DIGEST, "digest|" + now, null, Notification.DIGEST, items, now, now);
        return true;
    }

    private static NotificationItem item(Rule rule, Alert alert) {
        return new NotificationItem(alert.id(), 0, AlertEvent.FIRING, rule.id(), rule.name(), rule.kind(),
                alert.storeCode(), alert.subject(), alert.subjectName(), alert.level(), alert.threshold(),
                alert.firedAt());
    }
}
