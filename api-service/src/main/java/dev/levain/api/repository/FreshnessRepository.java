package dev.levain.api.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/** The newest raw event the model reflects: the normalizer lands it in the transaction that applies it. */
@ApplicationScoped
public class FreshnessRepository {

    /** Received and landed times of the newest landed event. */
    public record Newest(Instant receivedAt, Instant landedAt) {
    }

    private final AgroalDataSource dataSource;

    public FreshnessRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<Newest> newest() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT received_at, consumed_at FROM core.raw_event
                     WHERE received_at IS NOT NULL ORDER BY received_at DESC LIMIT 1""");
             ResultSet rows = query.executeQuery()) {
            if (!rows.next()) {
                return Optional.empty();
            }
            return Optional.of(new Newest(rows.getObject(1, OffsetDateTime.class).toInstant(),
                    rows.getObject(2, OffsetDateTime.class).toInstant()));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the newest landed event", e);
        }
    }
}
