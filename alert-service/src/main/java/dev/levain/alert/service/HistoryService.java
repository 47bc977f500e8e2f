package dev.levain.alert.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.levain.alert.repository.AlertRepository;
import dev.levain.alert.repository.NotificationRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;

/** Alerts, their events, notifications and every delivery attempt, for the history API. */
@ApplicationScoped
public class HistoryService {

    private final AlertRepository alerts;
    private final NotificationRepository notifications;

    public HistoryService(AlertRepository alerts, NotificationRepository notifications) {
        this.alerts = alerts;
        this.notifications = notifications;
    }

    /** An alert with what happened to it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AlertHistory(Alert alert, List<AlertEvent> events) {
    }

    /** A notification with its delivery attempts. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record NotificationHistory(Notification notification, List<DeliveryAttempt> attempts) {
    }

    @Transactional
    public Page<Alert> alerts(String state, String storeCode, Long ruleId, int page, int size) {
        return new Page<>(page, size, alerts.page(state, storeCode, ruleId, page, size));
    }

    @Transactional
    public AlertHistory alert(long id) {
        Alert alert = alerts.find(id).orElseThrow(() -> new NotFoundException("No alert " + id));
        return new AlertHistory(alert, alerts.events(id));
    }

    @Transactional
    public Page<Notification> notifications(String status, String channel, Long alertId, int page, int size) {
        return new Page<>(page, size, notifications.page(status, channel, alertId, page, size));
    }

    @Transactional
    public NotificationHistory notification(long id) {
        Notification notification = notifications.find(id)
                .orElseThrow(() -> new NotFoundException("No notification " + id));
        return new NotificationHistory(notification, notifications.attempts(id));
    }
}
