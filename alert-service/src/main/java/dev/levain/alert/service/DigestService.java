package dev.levain.alert.service;

import dev.levain.alert.config.AlertConfig;
import dev.levain.alert.repository.AlertRepository;
import dev.levain.alert.repository.JobRepository;
import dev.levain.alert.repository.NotificationRepository;
import dev.levain.alert.repository.RuleRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Queues the daily digest email of the alerts still firing ({@code levain.alert.digest-cron}), once a
 * day cluster-wide: every replica's cron fires, the one whose claim of the day lands queues it.
 */
@ApplicationScoped
public class DigestService {

    public static final String JOB = "daily-digest";

    private final AlertRepository alerts;
    private final RuleRepository rules;
    private final NotificationRepository outbox;
    private final JobRepository jobs;
    private final AlertConfig config;
    private final Clock clock;
    private final String claimToken = ProcessToken.next();

    public DigestService(AlertRepository alerts, RuleRepository rules, NotificationRepository outbox, JobRepository jobs,
                         AlertConfig config, Clock clock) {
        this.alerts = alerts;
        this.rules = rules;
        this.outbox = outbox;
        this.jobs = jobs;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(cron = "${levain.alert.digest-cron}", timeZone = "${levain.alert.digest-zone}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        queueDigest();
    }

    /**
     * Queues one digest of every firing alert, unless this day's digest (in {@code digest-zone}) was
     * already claimed, here or by another replica; none when nothing is firing or no email is configured.
     */
    @Transactional
    public boolean queueDigest() {
        if (config.email().to().filter(to -> !to.isEmpty()).isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        // In the digest's transaction: a replica racing for the day waits for it, and a rollback frees the day.
        if (!jobs.claimRun(JOB, day(now).toString(), claimToken, now)) {
            return false;
        }
        List<Alert> open = alerts.firing();
        if (open.isEmpty()) {
            return false;
        }
        Map<Long, Rule> byId = rules.enabled().stream().collect(Collectors.toMap(Rule::id, Function.identity()));
        List<NotificationItem> items = open.stream().filter(alert -> byId.containsKey(alert.ruleId()))
                .map(alert -> item(byId.get(alert.ruleId()), alert)).toList();
        if (items.isEmpty()) {
            return false;
        }
        outbox.insert(Notification.DIGEST, "digest|" + now, null, Notification.DIGEST, items, now, now);
        return true;
    }

    private LocalDate day(Instant now) {
        return LocalDate.ofInstant(now, ZoneId.of(config.digestZone()));
    }

    private static NotificationItem item(Rule rule, Alert alert) {
        return new NotificationItem(alert.id(), 0, AlertEvent.FIRING, rule.id(), rule.name(), rule.kind(),
                alert.storeCode(), alert.subject(), alert.subjectName(), alert.level(), alert.threshold(),
                alert.firedAt());
    }
}
