package dev.levain.api.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Optional;

/** The newest raw event the model reflects: the normalizer lands it in the transaction that applies it. */
@ApplicationScoped
public class FreshnessRepository {

    /** Received and landed times of the newest landed event. */
    public record Newest(Instant receivedAt, Instant landedAt) {
    }

    private static final String NEWEST = """
            SELECT received_at, consumed_at FROM core.raw_event
            WHERE received_at IS NOT NULL ORDER BY received_at DESC LIMIT 1""";
    // A raw event belongs to a store through what it wrote there: each sale, refund and stock level keeps the event
    // of its latest version. CRM contacts and the catalog belong to no store, so they are not anyone's "newest".
    private static final String NEWEST_OF_STORES = """
            WITH stores AS (SELECT id FROM core.store WHERE code = ANY (?)),
                 written AS (
                     (SELECT raw_event_id FROM core.sale WHERE store_id IN (SELECT id FROM stores)
                      ORDER BY received_at DESC LIMIT 1)
                     UNION ALL
                     (SELECT raw_event_id FROM core.refund WHERE store_id IN (SELECT id FROM stores)
                      ORDER BY received_at DESC LIMIT 1)
                     UNION ALL
                     (SELECT raw_event_id FROM core.inventory_level WHERE store_id IN (SELECT id FROM stores)
                      ORDER BY received_at DESC LIMIT 1))
            SELECT received_at, consumed_at FROM core.raw_event
            WHERE id IN (SELECT raw_event_id FROM written) AND received_at IS NOT NULL
            ORDER BY received_at DESC LIMIT 1""";

    private final AgroalDataSource dataSource;

    public FreshnessRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The newest landed event, whatever it was about. */
    public Optional<Newest> newest() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(NEWEST)) {
            return read(query);
        } catch (SQLException e) {
            throw ReadFailures.of("Cannot read the newest landed event", e);
        }
    }

    /** The newest landed event that wrote a sale, refund or stock level of one of these stores (codes). */
    public Optional<Newest> newestOf(Collection<String> storeCodes) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(NEWEST_OF_STORES)) {
            query.setArray(1, connection.createArrayOf("text", storeCodes.toArray()));
            return read(query);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the newest landed event of stores " + storeCodes, e);
        }
    }

    private static Optional<Newest> read(PreparedStatement query) throws SQLException {
        try (ResultSet rows = query.executeQuery()) {
            if (!rows.next()) {
                return Optional.empty();
            }
            return Optional.of(new Newest(rows.getObject(1, OffsetDateTime.class).toInstant(),
                    rows.getObject(2, OffsetDateTime.class).toInstant()));
        }
    }
}
