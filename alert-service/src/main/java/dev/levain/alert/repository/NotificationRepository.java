package dev.levain.alert.repository;

import static dev.levain.alert.repository.Sql.integer;
import static dev.levain.alert.repository.Sql.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.levain.alert.service.DeliveryAttempt;
import dev.levain.alert.service.Notification;
import dev.levain.alert.service.NotificationItem;
import dev.levain.events.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The outbox, {@code alerts.notification}, and its delivery history, {@code alerts.notification_attempt}. */
@ApplicationScoped
public class NotificationRepository {

    private static final TypeReference<List<NotificationItem>> ITEMS = new TypeReference<>() {
    };
    private static final String COLUMNS = "id, channel, group_key, store_code, event_kind, items::text AS items, status, "
            + "attempts, next_attempt_at, claimed_until, last_error, created_at, sent_at";

    // A message still waiting for its group (never tried, not claimed, group wait not over) takes the
    // line; FOR UPDATE re-checks that after a dispatcher's claim, so a claimed message is never changed.
    private static final String JOIN_GROUP = "UPDATE alerts.notification SET items = items || ?::jsonb WHERE id = ("
            + "SELECT id FROM alerts.notification WHERE group_key = ? AND status = 'pending' AND attempts = 0 "
            + "AND claimed_until IS NULL AND next_attempt_at > ? ORDER BY id LIMIT 1 FOR UPDATE) RETURNING id";

    // Due and unclaimed (or claimed by an instance whose lease ran out: it died, or is still sending).
    // Every claim raises attempts, so (claimed_by, attempts) names one claim and no later one.
    private static final String CLAIM = "UPDATE alerts.notification SET claimed_until = ?, claimed_by = ?, "
            + "attempts = attempts + 1 "
            + "WHERE id IN (SELECT id FROM alerts.notification WHERE status = 'pending' AND channel = ANY (?) "
            + "AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?) "
            + "ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS;

    // Only the latest claim may record its outcome: a holder whose lease ran out and was taken over
    // (by another replica, or by this one again) no longer matches, whatever the replicas' clocks say.
    private static final String STILL_HELD = " WHERE id = ? AND status = 'pending' AND claimed_by = ? AND attempts = ?";

    private final Sql sql;

    public NotificationRepository(Sql sql) {
        this.sql = sql;
    }

    /** Adds the line to a message of its group still waiting, or queues a new message due at {@code dueAt}. */
    public long enqueue(String channel, String groupKey, String storeCode, String eventKind, NotificationItem item,
                        Instant now, Instant dueAt) {
        return sql.one(JOIN_GROUP, row -> row.getLong(1), json(List.of(item)), groupKey, now)
                .orElseGet(() -> insert(channel, groupKey, storeCode, eventKind, List.of(item), now, dueAt));
    }

    /** Queues a message with all its lines, due at {@code dueAt}. */
    public long insert(String channel, String groupKey, String storeCode, String eventKind, List<NotificationItem> items,
                       Instant now, Instant dueAt) {
        return sql.one("INSERT INTO alerts.notification (channel, group_key, store_code, event_kind, items, status, "
                        + "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?::jsonb, 'pending', ?, ?) RETURNING id",
                row -> row.getLong(1), channel, groupKey, text(storeCode), eventKind, json(items), dueAt, now)
                .orElseThrow();
    }

    /** Leases due notifications of these channels to {@code claimant} until {@code leaseUntil}. */
    public List<Notification> claim(List<String> channels, String claimant, Instant now, Instant leaseUntil, int limit) {
        return sql.query(CLAIM, NotificationRepository::map, leaseUntil, claimant, channels.toArray(String[]::new), now,
                now, limit);
    }

    /** Whether a notification of these channels is due and unclaimed, without claiming it. */
    public boolean anyDue(List<String> channels, Instant now) {
        return sql.one("SELECT EXISTS (SELECT 1 FROM alerts.notification WHERE status = 'pending' AND channel = ANY (?) "
                        + "AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?))",
                row -> row.getBoolean(1), channels.toArray(String[]::new), now, now).orElse(false);
    }

    /** Marks the notification sent if this claim (claimant, attempt) still holds it; false if it was taken over. */
    public boolean markSent(long id, String claimant, int attempt, Instant now) {
        return sql.update("UPDATE alerts.notification SET status = 'sent', sent_at = ?, claimed_until = NULL, "
                + "last_error = NULL" + STILL_HELD, now, id, claimant, attempt) == 1;
    }

    /** Schedules the next try if this claim (claimant, attempt) still holds it; false if it was taken over. */
    public boolean retryAt(long id, String claimant, int attempt, Instant next, String error) {
        return sql.update("UPDATE alerts.notification SET next_attempt_at = ?, claimed_until = NULL, claimed_by = NULL, "
                + "last_error = ?" + STILL_HELD, next, text(error), id, claimant, attempt) == 1;
    }

    public void recordAttempt(long id, int attempt, Instant at, String outcome, Integer statusCode, String detail) {
        sql.update("INSERT INTO alerts.notification_attempt (notification_id, attempt, attempted_at, outcome, "
                + "status_code, detail) VALUES (?, ?, ?, ?, ?, ?)", id, attempt, at, outcome, integer(statusCode),
                text(detail));
    }

    public Optional<Notification> find(long id) {
        return sql.one("SELECT " + COLUMNS + " FROM alerts.notification WHERE id = ?", NotificationRepository::map, id);
    }

    /** Newest first; any filter may be null. */
    public List<Notification> page(String status, String channel, Long alertId, int page, int size) {
        return sql.query("SELECT " + COLUMNS + " FROM alerts.notification WHERE (?::text IS NULL OR status = ?) "
                        + "AND (?::text IS NULL OR channel = ?) "
                        + "AND (?::bigint IS NULL OR items @> jsonb_build_array(jsonb_build_object('alert_id', ?::bigint))) "
                        + "ORDER BY id DESC LIMIT ? OFFSET ?", NotificationRepository::map,
                text(status), text(status), text(channel), text(channel), Sql.bigint(alertId), Sql.bigint(alertId),
                size, (page - 1) * size);
    }

    public List<DeliveryAttempt> attempts(long notificationId) {
        return sql.query("SELECT id, notification_id, attempt, attempted_at, outcome, status_code, detail "
                        + "FROM alerts.notification_attempt WHERE notification_id = ? ORDER BY id",
                row -> new DeliveryAttempt(row.getLong("id"), row.getLong("notification_id"), row.getInt("attempt"),
                        Sql.instant(row, "attempted_at"), row.getString("outcome"), Sql.integer(row, "status_code"),
                        row.getString("detail")), notificationId);
    }

    private static Notification map(ResultSet row) throws SQLException {
        return new Notification(row.getLong("id"), row.getString("channel"), row.getString("group_key"),
                row.getString("store_code"), row.getString("event_kind"), items(row.getString("items")),
                row.getString("status"), row.getInt("attempts"), Sql.instant(row, "next_attempt_at"),
                Sql.instant(row, "claimed_until"), row.getString("last_error"), Sql.instant(row, "created_at"),
                Sql.instant(row, "sent_at"));
    }

    private static List<NotificationItem> items(String json) {
        try {
            return Json.mapper().readValue(json, ITEMS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable notification items", e);
        }
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write notification items", e);
        }
    }
}
