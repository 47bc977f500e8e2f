package dev.levain.alert.service;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/** One outgoing message in the outbox: its channel, its alert lines and its delivery state. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Notification(
        long id,
        String channel,
        String groupKey,
        String storeCode,
        String eventKind,
        List<NotificationItem> items,
        String status,
        int attempts,
        Instant nextAttemptAt,
        Instant claimedUntil,
        String lastError,
        Instant createdAt,
        Instant sentAt) {

    public static final String SLACK = "slack";
    public static final String EMAIL = "email";
    public static final String DIGEST = "digest";
    public static final String PENDING = "pending";
    public static final String SENT = "sent";
}
