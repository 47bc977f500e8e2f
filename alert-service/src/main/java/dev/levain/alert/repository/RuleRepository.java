package dev.levain.alert.repository;

import static dev.levain.alert.repository.Sql.bigint;
import static dev.levain.alert.repository.Sql.integer;
import static dev.levain.alert.repository.Sql.number;
import static dev.levain.alert.repository.Sql.text;

import dev.levain.alert.service.Rule;
import dev.levain.alert.service.RuleRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@code alerts.rule}. */
@ApplicationScoped
public class RuleRepository {

    private static final String COLUMNS = "id, name, kind, store_code, threshold, min_days, silent_minutes, max_lag, "
            + "max_dead_letters, metric, direction, window_minutes, channel, period, tolerance_pct, baseline_weeks, "
            + "drop_pct, channels, enabled, created_at, updated_at";

    private final Sql sql;

    public RuleRepository(Sql sql) {
        this.sql = sql;
    }

    public Rule insert(RuleRequest rule, List<String> channels, Instant now) {
        return sql.one("INSERT INTO alerts.rule (name, kind, store_code, threshold, min_days, silent_minutes, max_lag, "
                        + "max_dead_letters, metric, direction, window_minutes, channel, period, tolerance_pct, "
                        + "baseline_weeks, drop_pct, channels, enabled, updated_at, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS,
                RuleRepository::map, values(rule, channels, now, now)).orElseThrow();
    }

    public Optional<Rule> replace(long id, RuleRequest rule, List<String> channels, Instant now) {
        return sql.one("UPDATE alerts.rule SET name = ?, kind = ?, store_code = ?, threshold = ?, min_days = ?, "
                        + "silent_minutes = ?, max_lag = ?, max_dead_letters = ?, metric = ?, direction = ?, "
                        + "window_minutes = ?, channel = ?, period = ?, tolerance_pct = ?, baseline_weeks = ?, drop_pct = ?, "
                        + "channels = ?, enabled = ?, updated_at = ? "
                        + "WHERE id = ? RETURNING " + COLUMNS,
                RuleRepository::map, values(rule, channels, now, id));
    }

    /** The rule's columns in table order, then {@code last} (the creation time, or the id to update). */
    private static Object[] values(RuleRequest rule, List<String> channels, Instant now, Object last) {
        return new Object[] {rule.name(), rule.kind(), text(rule.storeCode()), number(rule.threshold()),
                number(rule.minDays()), integer(rule.silentMinutes()), bigint(rule.maxLag()),
                integer(rule.maxDeadLetters()), text(rule.metric()), text(rule.direction()),
                integer(rule.windowMinutes()), text(rule.channel()), text(rule.period()), number(rule.tolerancePct()),
                integer(rule.baselineWeeks()), number(rule.dropPct()), channels.toArray(String[]::new), rule.enabled() == null || rule.enabled(),
                now, last};
    }

    public Optional<Rule> setEnabled(long id, boolean enabled, Instant now) {
        return sql.one("UPDATE alerts.rule SET enabled = ?, updated_at = ? WHERE id = ? RETURNING " + COLUMNS,
                RuleRepository::map, enabled, now, id);
    }

    public Optional<Rule> find(long id) {
        return sql.one("SELECT " + COLUMNS + " FROM alerts.rule WHERE id = ?", RuleRepository::map, id);
    }

    public List<Rule> page(int page, int size) {
        return sql.query("SELECT " + COLUMNS + " FROM alerts.rule ORDER BY id LIMIT ? OFFSET ?", RuleRepository::map,
                size, (page - 1) * size);
    }

    public List<Rule> enabled() {
        return sql.query("SELECT " + COLUMNS + " FROM alerts.rule WHERE enabled ORDER BY id", RuleRepository::map);
    }

    public List<Rule> enabledOfKinds(String... kinds) {
        return sql.query("SELECT " + COLUMNS + " FROM alerts.rule WHERE enabled AND kind = ANY (?) ORDER BY id",
                RuleRepository::map, (Object) kinds);
    }

    private static Rule map(ResultSet row) throws SQLException {
        return new Rule(row.getLong("id"), row.getString("name"), row.getString("kind"), row.getString("store_code"),
                row.getBigDecimal("threshold"), row.getBigDecimal("min_days"), Sql.integer(row, "silent_minutes"),
                Sql.bigint(row, "max_lag"), Sql.integer(row, "max_dead_letters"), row.getString("metric"),
                row.getString("direction"), Sql.integer(row, "window_minutes"), row.getString("channel"),
                row.getString("period"), row.getBigDecimal("tolerance_pct"), Sql.integer(row, "baseline_weeks"),
                row.getBigDecimal("drop_pct"),
                Arrays.asList((String[]) row.getArray("channels").getArray()), row.getBoolean("enabled"),
                Sql.instant(row, "created_at"), Sql.instant(row, "updated_at"));
    }
}
