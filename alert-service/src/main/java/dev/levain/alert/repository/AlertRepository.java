package dev.levain.alert.repository;

import static dev.levain.alert.repository.Sql.instant;
import static dev.levain.alert.repository.Sql.number;
import static dev.levain.alert.repository.Sql.text;

import dev.levain.alert.service.Alert;
import dev.levain.alert.service.AlertEvent;
import dev.levain.alert.service.AlertKey;
import dev.levain.alert.service.Reading;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code alerts.alert} and {@code alerts.alert_event}. */
@ApplicationScoped
public class AlertRepository {

    private static final String COLUMNS = "a.id, a.rule_id, a.store_code, a.subject, a.subject_name, a.state, a.level, "
            + "a.threshold, a.started_at, a.fired_at, a.last_notified_at, a.clear_since, a.resolved_at, a.updated_at";

    private static final String LOCK_OPEN = "SELECT " + COLUMNS + " FROM alerts.alert a "
            + "WHERE a.rule_id = ? AND a.store_code = ? AND a.subject = ? AND a.state IN ('pending', 'firing') FOR UPDATE";

    // ON CONFLICT: another transaction opened the same key first; the caller then locks that one.
    private static final String INSERT_PENDING = "INSERT INTO alerts.alert AS a (rule_id, store_code, subject, "
            + "subject_name, state, level, threshold, started_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?) "
            + "ON CONFLICT (rule_id, store_code, subject) WHERE state IN ('pending', 'firing') DO NOTHING RETURNING "
            + COLUMNS;

    // Open alerts that time alone moves on: past their pending period, due a reminder, clear past the
    // cooldown, or of a rule disabled since. SKIP LOCKED: an event being applied to one now wins.
    private static final String LOCK_DUE = "SELECT " + COLUMNS + " FROM alerts.alert a JOIN alerts.rule r ON r.id = a.rule_id "
            + "WHERE a.state IN ('pending', 'firing') AND (NOT r.enabled "
            + "  OR (a.state = 'pending' AND a.clear_since IS NULL AND a.started_at <= ?) "
            + "  OR (a.state = 'firing' AND a.clear_since IS NULL AND a.last_notified_at <= ?) "
            + "  OR (a.state = 'firing' AND a.clear_since <= ?)) "
            + "ORDER BY a.id LIMIT 500 FOR UPDATE OF a SKIP LOCKED";

    private final Sql sql;

    public AlertRepository(Sql sql) {
        this.sql = sql;
    }

    public Optional<Alert> lockOpen(AlertKey key) {
        return sql.one(LOCK_OPEN, AlertRepository::map, key.ruleId(), key.storeCode(), key.subject());
    }

    public Alert openPending(AlertKey key, Reading reading, Instant now) {
        return sql.one(INSERT_PENDING, AlertRepository::map, key.ruleId(), key.storeCode(), key.subject(),
                        text(reading.subjectName()), number(reading.level()), number(reading.threshold()), now, now)
                .or(() -> lockOpen(key))
                .orElseThrow(() -> new IllegalStateException("Alert " + key + " neither inserted nor found"));
    }

    public List<Alert> lockDue(Instant pendingSince, Instant remindBefore, Instant clearBefore) {
        return sql.query(LOCK_DUE, AlertRepository::map, pendingSince, remindBefore, clearBefore);
    }

    public void update(Alert alert, Instant now) {
        sql.update("UPDATE alerts.alert SET subject_name = ?, state = ?, level = ?, threshold = ?, fired_at = ?, "
                        + "last_notified_at = ?, clear_since = ?, resolved_at = ?, updated_at = ? WHERE id = ?",
                text(alert.subjectName()), alert.state(), number(alert.level()), number(alert.threshold()),
                instant(alert.firedAt()), instant(alert.lastNotifiedAt()), instant(alert.clearSince()),
                instant(alert.resolvedAt()), now, alert.id());
    }

    public long insertEvent(long alertId, String kind, Alert alert, boolean silenced, Instant now) {
        return sql.one("INSERT INTO alerts.alert_event (alert_id, kind, level, silenced, occurred_at) "
                        + "VALUES (?, ?, ?, ?, ?) RETURNING id", row -> row.getLong(1),
                alertId, kind, number(alert.level()), silenced, now).orElseThrow();
    }

    public Optional<Alert> find(long id) {
        return sql.one("SELECT " + COLUMNS + " FROM alerts.alert a WHERE a.id = ?", AlertRepository::map, id);
    }

    /** Newest first; any filter may be null. */
    public List<Alert> page(String state, String storeCode, Long ruleId, int page, int size) {
        return sql.query("SELECT " + COLUMNS + " FROM alerts.alert a WHERE (?::text IS NULL OR a.state = ?) "
                        + "AND (?::text IS NULL OR a.store_code = ?) AND (?::bigint IS NULL OR a.rule_id = ?) "
                        + "ORDER BY a.id DESC LIMIT ? OFFSET ?", AlertRepository::map,
                text(state), text(state), text(storeCode), text(storeCode), Sql.bigint(ruleId), Sql.bigint(ruleId),
                size, (page - 1) * size);
    }

    public List<Alert> firing() {
        return sql.query("SELECT " + COLUMNS + " FROM alerts.alert a WHERE a.state = 'firing' ORDER BY a.store_code, "
                + "a.rule_id, a.subject", AlertRepository::map);
    }

    public List<AlertEvent> events(long alertId) {
        return sql.query("SELECT id, alert_id, kind, level, silenced, occurred_at FROM alerts.alert_event "
                        + "WHERE alert_id = ? ORDER BY id",
                row -> new AlertEvent(row.getLong("id"), row.getLong("alert_id"), row.getString("kind"),
                        row.getBigDecimal("level"), row.getBoolean("silenced"), Sql.instant(row, "occurred_at")),
                alertId);
    }

    private static Alert map(ResultSet row) throws SQLException {
        return new Alert(row.getLong("id"), row.getLong("rule_id"), row.getString("store_code"), row.getString("subject"),
                row.getString("subject_name"), row.getString("state"), row.getBigDecimal("level"),
                row.getBigDecimal("threshold"), Sql.instant(row, "started_at"), Sql.instant(row, "fired_at"),
                Sql.instant(row, "last_notified_at"), Sql.instant(row, "clear_since"), Sql.instant(row, "resolved_at"),
                Sql.instant(row, "updated_at"));
    }
}
