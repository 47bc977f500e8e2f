package dev.levain.alert.service;

import dev.levain.alert.config.AlertConfig;
import dev.levain.alert.repository.AlertRepository;
import dev.levain.alert.repository.NotificationRepository;
import dev.levain.alert.repository.SilenceRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Records an alert's firing, reminder or resolution and, unless silenced, queues its messages in
 * the outbox — in the caller's transaction, the one that changed the alert.
 */
@ApplicationScoped
public class Notifier {

    private final AlertRepository alerts;
    private final SilenceRepository silences;
    private final NotificationRepository outbox;
    private final AlertConfig config;

    public Notifier(AlertRepository alerts, SilenceRepository silences, NotificationRepository outbox,
                    AlertConfig config) {
        this.alerts = alerts;
        this.silences = silences;
        this.outbox = outbox;
        this.config = config;
    }

    void tell(Rule rule, Alert alert, String eventKind, Instant now) {
        boolean silenced = silences.covers(rule.id(), alert.storeCode(), now);
        long eventId = alerts.insertEvent(alert.id(), eventKind, alert, silenced, now);
        if (silenced) {
            return;
        }
        NotificationItem item = new NotificationItem(alert.id(), eventId, eventKind, rule.id(), rule.name(), rule.kind(),
                alert.storeCode(), alert.subject(), alert.subjectName(), alert.level(), alert.threshold(), now);
        for (String channel : rule.channels()) {
            if (configured(channel)) {
                // One message per rule, store and event kind: several products low in one store arrive together.
                String group = String.join("|", channel, Long.toString(rule.id()), alert.storeCode(), eventKind);
                outbox.enqueue(channel, group, alert.storeCode(), eventKind, item, now, now.plus(config.groupWait()));
            }
        }
    }

    private boolean configured(String channel) {
        return switch (channel) {
            case Notification.SLACK -> config.slack().webhookUrl().isPresent();
            case Notification.EMAIL -> config.email().to().filter(to -> !to.isEmpty()).isPresent();
            default -> false;
        };
    }
}
