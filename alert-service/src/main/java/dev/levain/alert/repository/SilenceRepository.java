package dev.levain.alert.repository;

import static dev.levain.alert.repository.Sql.bigint;
import static dev.levain.alert.repository.Sql.text;

import dev.levain.alert.service.Silence;
import dev.levain.alert.service.SilenceRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code alerts.silence}. */
@ApplicationScoped
public class SilenceRepository {

    private static final String COLUMNS = "id, rule_id, store_code, until, reason, created_at";

    private final Sql sql;

    public SilenceRepository(Sql sql) {
        this.sql = sql;
    }

    public Silence insert(SilenceRequest silence, Instant now) {
        return sql.one("INSERT INTO alerts.silence (rule_id, store_code, until, reason, created_at) "
                        + "VALUES (?, ?, ?, ?, ?) RETURNING " + COLUMNS, SilenceRepository::map,
                bigint(silence.ruleId()), text(silence.storeCode()), silence.until(), text(silence.reason()), now)
                .orElseThrow();
    }

    /** Whether a silence covers this rule in this store at {@code now}. */
    public boolean covers(long ruleId, String storeCode, Instant now) {
        return sql.one("SELECT 1 FROM alerts.silence WHERE until > ? AND (rule_id IS NULL OR rule_id = ?) "
                        + "AND (store_code IS NULL OR store_code = ?) LIMIT 1", row -> true, now, ruleId, storeCode)
                .isPresent();
    }

    /** Ends a silence now; returns it, or empty when there is none with this id. */
    public Optional<Silence> expire(long id, Instant now) {
        return sql.one("UPDATE alerts.silence SET until = LEAST(until, ?) WHERE id = ? RETURNING " + COLUMNS,
                SilenceRepository::map, now, id);
    }

    public List<Silence> page(int page, int size) {
        return sql.query("SELECT " + COLUMNS + " FROM alerts.silence ORDER BY id DESC LIMIT ? OFFSET ?",
                SilenceRepository::map, size, (page - 1) * size);
    }

    private static Silence map(ResultSet row) throws SQLException {
        return new Silence(row.getLong("id"), Sql.bigint(row, "rule_id"), row.getString("store_code"),
                Sql.instant(row, "until"), row.getString("reason"), Sql.instant(row, "created_at"));
    }
}
