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

    public void save(String job, String position) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("""
                     INSERT INTO ingest.pull_cursor (job, position) VALUES (?, ?)
                     ON CONFLICT (job) DO UPDATE SET position = EXCLUDED.position, updated_at = now()""")) {
            upsert.setString(1, job);
            upsert.setString(2, position);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerUnavailableException("Could not save the cursor of " + job, e);
        }
    }
}
