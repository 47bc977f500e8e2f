package dev.levain.api.repository;

import dev.levain.api.service.Goal;
import dev.levain.api.service.GoalDraft;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Stores the business goals in {@code api.goal}, a schema api-service owns. */
@ApplicationScoped
public class GoalRepository {

    private static final String COLUMNS = "id, name, metric, stores, baseline_from, baseline_to, target_change_percent, "
            + "deadline, created_at, updated_at, created_by";

    private final AgroalDataSource dataSource;

    public GoalRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every goal, newest first. */
    public List<Goal> all() {
        return query("SELECT " + COLUMNS + " FROM api.goal ORDER BY created_at DESC, id DESC");
    }

    public Optional<Goal> find(long id) {
        return query("SELECT " + COLUMNS + " FROM api.goal WHERE id = ?", id).stream().findFirst();
    }

    public Goal insert(GoalDraft draft, String createdBy) {
        return query("INSERT INTO api.goal (name, metric, stores, baseline_from, baseline_to, target_change_percent, "
                + "deadline, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS,
                draft.name(), draft.metric().code(), draft.stores(), draft.baselineFrom(), draft.baselineTo(),
                draft.targetChangePercent(), draft.deadline(), createdBy).get(0);
    }

    /** Replaces the goal's definition; empty when no goal has the id. */
    public Optional<Goal> update(long id, GoalDraft draft) {
        return query("UPDATE api.goal SET name = ?, metric = ?, stores = ?, baseline_from = ?, baseline_to = ?, "
                + "target_change_percent = ?, deadline = ?, updated_at = now() WHERE id = ? RETURNING " + COLUMNS,
                draft.name(), draft.metric().code(), draft.stores(), draft.baselineFrom(), draft.baselineTo(),
                draft.targetChangePercent(), draft.deadline(), id).stream().findFirst();
    }

    /** Whether a goal had the id. */
    public boolean delete(long id) {
        return !query("DELETE FROM api.goal WHERE id = ? RETURNING " + COLUMNS, id).isEmpty();
    }

    private List<Goal> query(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object parameter = parameters[i];
                if (parameter instanceof List<?> list) {
                    statement.setArray(i + 1, connection.createArrayOf("text", list.toArray()));
                } else {
                    statement.setObject(i + 1, parameter);
                }
            }
            List<Goal> goals = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    goals.add(goal(result));
                }
            }
            return goals;
        } catch (SQLException e) {
            throw ReadFailures.of("Cannot use goals", e);
        }
    }

    private static Goal goal(ResultSet result) throws SQLException {
        String[] stores = (String[]) result.getArray("stores").getArray();
        return new Goal(result.getLong("id"), result.getString("name"), result.getString("metric"), List.of(stores),
                result.getObject("baseline_from", LocalDate.class), result.getObject("baseline_to", LocalDate.class),
                result.getBigDecimal("target_change_percent"), result.getObject("deadline", LocalDate.class),
                result.getObject("created_at", OffsetDateTime.class), result.getObject("updated_at", OffsetDateTime.class),
                result.getString("created_by"));
    }
}
