package dev.levain.ingest.repository;

import dev.levain.ingest.service.RawEvent;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.sql.Timestamp;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Edge dedupe ledger ({@code ingest.received_event}): which event ids were already accepted. */
@ApplicationScoped
public class ReceivedEventRepository {

    private static final String CLAIM = """
            INSERT INTO ingest.received_event (topic, event_id, connector, entity_key, content_hash)
            SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
            ON CONFLICT (topic, event_id) DO NOTHING
            RETURNING event_id""";

    private final AgroalDataSource dataSource;

    public ReceivedEventRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Records the events not seen before, in a database transaction left open until the returned claim is
     * committed: a concurrent claim of the same id waits on it, then finds the id taken. Closing the claim
     * without committing rolls it back, so the ids can be claimed again.
     */
    public Claim claim(String connector, List<RawEvent> events) {
        // One lock order for every caller, so two overlapping batches cannot deadlock.
        List<RawEvent> sorted = events.stream()
                .sorted(Comparator.comparing(RawEvent::topic).thenComparing(RawEvent::id))
                .toList();
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            Set<String> claimed = new HashSet<>();
            try (PreparedStatement insert = connection.prepareStatement(CLAIM)) {
                insert.setArray(1, connection.createArrayOf("text", sorted.stream().map(RawEvent::topic).toArray()));
                insert.setArray(2, connection.createArrayOf("text", sorted.stream().map(RawEvent::id).toArray()));
                insert.setArray(3, connection.createArrayOf("text", sorted.stream().map(e -> connector).toArray()));
                insert.setArray(4, connection.createArrayOf("text", sorted.stream().map(RawEvent::key).toArray()));
                insert.setArray(5, connection.createArrayOf("text",
                        sorted.stream().map(RawEvent::contentHash).toArray()));
                try (ResultSet rows = insert.executeQuery()) {
                    while (rows.next()) {
                        claimed.add(rows.getString(1));
                    }
                }
            }
            return new Claim(connection, claimed);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new LedgerUnavailableException("Could not record received events", e);
        }
    }

    /**
     * Whether {@code eventId} was already accepted on {@code topic}: a read-only look that claims nothing, so
     * a caller can skip costly work for a redelivery; {@link #claim} still decides for the others.
     */
    public boolean accepted(String topic, String eventId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT 1 FROM ingest.received_event WHERE topic = ? AND event_id = ?")) {
            select.setString(1, topic);
            select.setString(2, eventId);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        } catch (SQLException e) {
            throw new LedgerUnavailableException("Could not look up received event " + eventId, e);
        }
    }

    /** Reads the ledger once; throws {@link LedgerUnavailableException} when it cannot. */
    public void checkReadable() {
        try (Connection connection = dataSource.getConnection();
             Statement select = connection.createStatement()) {
            select.execute("SELECT 1 FROM ingest.received_event LIMIT 1");
        } catch (SQLException e) {
            throw new LedgerUnavailableException("The dedupe ledger cannot be read", e);
        }
    }

    /**
     * Whether {@code e} means the database cannot be reached at all (SQLState class 08), as opposed to a
     * busy pool or a failing statement.
     */
    public static boolean databaseDown(LedgerUnavailableException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /** Forgets events received before {@code cutoff}; returns how many. */
    public int forgetBefore(Instant cutoff) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM ingest.received_event WHERE received_at < ?")) {
            delete.setTimestamp(1, Timestamp.from(cutoff));
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerUnavailableException("Could not purge received events", e);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // A broken connection cannot roll back; closing it below still returns it to the pool.
        } finally {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // The pool discards a connection it cannot close.
            }
        }
    }

    /** Event ids claimed in an open transaction: commit once they are published, or close to give them back. */
    public static final class Claim implements AutoCloseable {

        private final Connection connection;
        private final Set<String> claimed;
        private boolean committed;

        private Claim(Connection connection, Set<String> claimed) {
            this.connection = connection;
            this.claimed = Set.copyOf(claimed);
        }

        /** The ids this claim took: the events not accepted before. */
        public Set<String> claimed() {
            return claimed;
        }

        public void commit() {
            try {
                connection.commit();
                committed = true;
            } catch (SQLException e) {
                throw new LedgerUnavailableException("Could not commit received events", e);
            }
        }

        @Override
        public void close() {
            if (!committed) {
                closeQuietly(connection);
                return;
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Committed already; nothing is lost.
            }
        }
    }
}
