package dev.levain.ingest.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Where each scheduled pull resumes ({@code ingest.pull_cursor}). */
@ApplicationScoped
public class PullCursorRepository {

    private final AgroalDataSource dataSource;

    public PullCursorRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<String> find(String job) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT position FROM ingest.pull_cursor WHERE job = ?")) {
            select.setString(1, job);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerUnavailableException("Could not read the cursor of " + job, e);
        }
    }

    /**
     * Stores {@code next} as the cursor of {@code job} only if it is still {@code expected} (empty: none stored):
     * a conditional write, so of two replicas saving at once one wins and the other reads again and decides.
     */
    public boolean replace(String job, Optional<String> expected, String next) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement write = connection.prepareStatement(expected.isEmpty()
                     ? "INSERT INTO ingest.pull_cursor (job, position) VALUES (?, ?) ON CONFLICT (job) DO NOTHING"
                     : "UPDATE ingest.pull_cursor SET position = ?, updated_at = now() WHERE job = ? AND position = ?")) {
            if (expected.isEmpty()) {
                write.setString(1, job);
                write.setString(2, next);
            } else {
                write.setString(1, next);
                write.setString(2, job);
                write.setString(3, expected.get());
            }
            return write.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new LedgerUnavailableException("Could not save the cursor of " + job, e);
        }
    }
}
