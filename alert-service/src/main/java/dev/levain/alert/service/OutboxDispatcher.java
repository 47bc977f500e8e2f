package dev.levain.alert.service;

import dev.levain.alert.config.AlertConfig;
import dev.levain.alert.messaging.DeliveryResult;
import dev.levain.alert.messaging.EmailMessage;
import dev.levain.alert.messaging.EmailSender;
import dev.levain.alert.messaging.SlackMessage;
import dev.levain.alert.messaging.SlackPacer;
import dev.levain.alert.messaging.SlackWebhookClient;
import dev.levain.alert.repository.NotificationRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Delivers the outbox. Each notification is claimed on its own, right before it is sent (a lease in
 * the name of this process's claim token), sent outside any transaction, and marked sent — or
 * rescheduled with exponential backoff, or after Slack's {@code Retry-After} — in another transaction,
 * only if this claim still holds it. An instance dying (or stalling past its lease) between the claim
 * and the mark leaves the lease to run out, and the message is sent again: at least once, at most one
 * duplicate per lost lease, and the late holder cannot overwrite the new holder's outcome.
 */
@ApplicationScoped
public class OutboxDispatcher {

    private static final Logger LOG = Logger.getLogger(OutboxDispatcher.class);
    private static final List<String> EMAIL_CHANNELS = List.of(Notification.EMAIL, Notification.DIGEST);
    private static final List<String> SLACK_CHANNELS = List.of(Notification.SLACK);
    private static final int MAX_DOUBLINGS = 20;

    private final NotificationRepository outbox;
    private final SlackWebhookClient slack;
    private final SlackPacer pacer;
    private final EmailSender email;
    private final AlertConfig config;
    private final Clock clock;
    private final AlertMetrics metrics;
    private final String claimToken = ProcessToken.next();

    public OutboxDispatcher(NotificationRepository outbox, SlackWebhookClient slack, SlackPacer pacer, EmailSender email,
                            AlertConfig config, Clock clock, AlertMetrics metrics) {
        this.metrics = metrics;
        this.outbox = outbox;
        this.slack = slack;
        this.pacer = pacer;
        this.email = email;
        this.config = config;
        this.clock = clock;
    }

    public static final String EMAIL_JOB = "outbox-email";
    public static final String SLACK_JOB = "outbox-slack";

    @Scheduled(identity = EMAIL_JOB, every = "${levain.alert.dispatcher.interval}",
            delayed = "${levain.alert.dispatcher.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledEmails() {
        try {
            dispatchEmails();
        } catch (RuntimeException e) {
            LOG.warnf(e, "Email dispatch failed; next run tries again");
        }
    }

    // Its own job: pacing Slack to one message per min-interval must not hold back emails.
    @Scheduled(identity = SLACK_JOB, every = "${levain.alert.dispatcher.interval}",
            delayed = "${levain.alert.dispatcher.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledSlack() {
        try {
            dispatchSlack();
        } catch (RuntimeException e) {
            LOG.warnf(e, "Slack dispatch failed; next run tries again");
        }
    }

    /**
     * Delivers the due emails (alerts and digests), up to a batch, each claimed just before it is sent:
     * a slow SMTP server holding one message up cannot let the lease of the others run out.
     */
    public int dispatchEmails() {
        int sent = 0;
        while (sent < config.dispatcher().batchSize()) {
            List<Notification> next = claim(EMAIL_CHANNELS, 1);
            if (next.isEmpty()) {
                break;
            }
            deliver(next.get(0));
            sent++;
        }
        return sent;
    }

    /**
     * Delivers due Slack messages one at a time, each in a turn of the webhook's pace shared by every
     * replica (min-interval, or longer after a 429), up to a batch; stops early when Slack asked to
     * wait longer than the pace. A turn is only taken when something is due.
     */
    public int dispatchSlack() {
        if (config.slack().webhookUrl().isEmpty()) {
            return 0;
        }
        int sent = 0;
        while (sent < config.dispatcher().batchSize() && anyDue(SLACK_CHANNELS) && pacer.awaitTurn()) {
            List<Notification> next = claim(SLACK_CHANNELS, 1);
            if (next.isEmpty()) {
                pacer.turnOver(Optional.empty()); // another replica took it: the turn goes unused
                break;
            }
            deliver(next.get(0));
            sent++;
        }
        return sent;
    }

    private boolean anyDue(List<String> channels) {
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew().call(() -> outbox.anyDue(channels, now));
    }

    /** Claims due notifications of these channels, one lease each, in this process's name. */
    public List<Notification> claim(List<String> channels, int limit) {
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew()
                .call(() -> outbox.claim(channels, claimToken, now, now.plus(config.dispatcher().lease()), limit));
    }

    private void deliver(Notification notification) {
        record(notification, send(notification));
    }

    /** Sends a claimed notification on its channel; nothing is recorded yet. */
    public DeliveryResult send(Notification notification) {
        if (Notification.SLACK.equals(notification.channel())) {
            DeliveryResult result = slack.post(SlackMessage.render(notification, config.dashboardUrl()));
            pacer.turnOver(result.retryAfter());
            return result;
        }
        return email.send(EmailMessage.render(notification, config.dashboardUrl()));
    }

    /**
     * Marks the notification sent, or schedules its next try, if this claim still holds it; records the
     * attempt either way, since it was made. A claim whose lease ran out and was taken over changes
     * nothing: the new holder's send decides.
     */
    public void record(Notification notification, DeliveryResult result) {
        metrics.attempted(notification.channel(), result.accepted() ? "sent" : "retry");
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            if (result.accepted()) {
                if (!outbox.markSent(notification.id(), claimToken, notification.attempts(), now)) {
                    leaseLost(notification, "sent");
                }
                outbox.recordAttempt(notification.id(), notification.attempts(), now, "sent", result.statusCode(), null);
                return;
            }
            Duration wait = backoff(notification.attempts());
            if (result.retryAfter().isPresent() && result.retryAfter().get().compareTo(wait) > 0) {
                wait = result.retryAfter().get();
            }
            LOG.warnf("Notification %d (%s) attempt %d failed, next in %s: %s", notification.id(),
                    notification.channel(), notification.attempts(), wait, result.detail());
            if (!outbox.retryAt(notification.id(), claimToken, notification.attempts(), now.plus(wait), result.detail())) {
                leaseLost(notification, "failed");
            }
            outbox.recordAttempt(notification.id(), notification.attempts(), now, "retry", result.statusCode(),
                    result.detail());
        });
    }

    private static void leaseLost(Notification notification, String outcome) {
        LOG.warnf("Notification %d (%s) attempt %d %s after its lease was taken over; left to its new holder",
                notification.id(), notification.channel(), notification.attempts(), outcome);
    }

    /** backoff × 2^(attempt − 1), at most max-backoff; never given up: an alert is not dropped. */
    Duration backoff(int attempt) {
        Duration wait = config.dispatcher().backoff().multipliedBy(1L << Math.min(MAX_DOUBLINGS, Math.max(0, attempt - 1)));
        return wait.compareTo(config.dispatcher().maxBackoff()) > 0 ? config.dispatcher().maxBackoff() : wait;
    }
}
