package dev.levain.alert.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/** Figures of the alerts schema for monitoring: alerts firing, and the outbox's waiting messages per channel. */
@ApplicationScoped
public class AlertFigures {

    private final Sql sql;

    public AlertFigures(Sql sql) {
        this.sql = sql;
    }

    /** Alerts firing now, over the whole cluster (the table is shared by every replica). */
    public long firing() {
        return sql.one("SELECT count(*) FROM alerts.alert WHERE state = 'firing'", row -> row.getLong(1)).orElse(0L);
    }

    /** Messages of {@code channel} not delivered yet, due or waiting for their group or a retry. */
    public long pending(String channel) {
        return sql.one("SELECT count(*) FROM alerts.notification WHERE status = 'pending' AND channel = ?",
                row -> row.getLong(1), channel).orElse(0L);
    }

    /** How long the oldest undelivered message of {@code channel} has waited; zero when none waits. */
    public Duration oldestPending(String channel, Instant now) {
        Instant oldest = sql.one("SELECT min(created_at) AS oldest FROM alerts.notification "
                + "WHERE status = 'pending' AND channel = ?", row -> Sql.instant(row, "oldest"), channel).orElse(null);
        return oldest == null || oldest.isAfter(now) ? Duration.ZERO : Duration.between(oldest, now);
    }
}
