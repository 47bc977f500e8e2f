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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Edge dedupe ledger ({@code ingest.received_event}): which event ids were already accepted, and what each
 * said (its fingerprint), so that a resend is told from a changed record under the same id.
 */
@ApplicationScoped
public class ReceivedEventRepository {

    private static final String CLAIM = """
            INSERT INTO ingest.received_event (topic, event_id, connector, entity_key, content_hash, fingerprint)
            SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
            ON CONFLICT (topic, event_id) DO NOTHING
            RETURNING topic, event_id""";
    // A statement of its own, after the claim: under READ COMMITTED it sees the rows a concurrent claim
    // committed while this one waited on them.
    private static final String HELD = """
            SELECT r.topic, r.event_id, r.content_hash, r.fingerprint
            FROM ingest.received_event r
            JOIN unnest(?::text[], ?::text[]) AS t(topic, event_id) ON r.topic = t.topic AND r.event_id = t.event_id""";

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
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            Claim claim = new Claim(connection);
            claim.add(connector, events);
            return claim;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new LedgerUnavailableException("Could not record received events", e);
        } catch (LedgerUnavailableException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * Whether {@code event} was already accepted with the same content: a read-only look that claims nothing,
     * so a caller can skip costly work for a redelivery; {@link #claim} still decides for the others.
     */
    public boolean accepted(RawEvent event) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     SELECT content_hash, fingerprint FROM ingest.received_event WHERE topic = ? AND event_id = ?""")) {
            select.setString(1, event.topic());
            select.setString(2, event.id());
            try (ResultSet row = select.executeQuery()) {
                return row.next() && new Held(row.getString(1), row.getString(2)).sameContentAs(event);
            }
        } catch (SQLException e) {
            throw new LedgerUnavailableException("Could not look up received event " + event.id(), e);
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

    /** Where an event id is recorded: ids are unique per topic. */
    public record Key(String topic, String eventId) {

        public static Key of(RawEvent event) {
            return new Key(event.topic(), event.id());
        }
    }

    /** What the ledger holds for an id accepted before: its bytes' hash, and its fingerprint (null on old rows). */
    public record Held(String contentHash, String fingerprint) {

        /** Whether {@code event} says what the accepted one said: a resend, not a change. */
        public boolean sameContentAs(RawEvent event) {
            // Rows from before fingerprints were kept can only be compared byte for byte.
            return fingerprint == null ? contentHash.equals(event.contentHash()) : fingerprint.equals(event.fingerprint());
        }
    }

    /** Event ids claimed in an open transaction: commit once they are published, or close to give them back. */
    public static final class Claim implements AutoCloseable {

        private final Connection connection;
        private final Set<Key> claimed = new HashSet<>();
        private final Map<Key, Held> held = new HashMap<>();
        private boolean committed;

        private Claim(Connection connection) {
            this.connection = connection;
        }

        /**
         * Claims more events in this transaction (corrections, whose ids add their fingerprint). Ids are
         * taken in one sorted order per call, so two overlapping batches cannot deadlock.
         */
        public void add(String connector, List<RawEvent> events) {
            if (events.isEmpty()) {
                return;
            }
            List<RawEvent> sorted = events.stream()
                    .sorted(Comparator.comparing(RawEvent::topic).thenComparing(RawEvent::id))
                    .toList();
            try {
                List<Key> taken = new ArrayList<>();
                try (PreparedStatement insert = connection.prepareStatement(CLAIM)) {
                    insert.setArray(1, text(sorted, RawEvent::topic));
                    insert.setArray(2, text(sorted, RawEvent::id));
                    insert.setArray(3, text(sorted, e -> connector));
                    insert.setArray(4, text(sorted, RawEvent::key));
                    insert.setArray(5, text(sorted, RawEvent::contentHash));
                    insert.setArray(6, text(sorted, RawEvent::fingerprint));
                    try (ResultSet rows = insert.executeQuery()) {
                        while (rows.next()) {
                            taken.add(new Key(rows.getString(1), rows.getString(2)));
                        }
                    }
                }
                claimed.addAll(taken);
                List<RawEvent> others = sorted.stream().filter(e -> !claimed.contains(Key.of(e))).toList();
                if (!others.isEmpty()) {
                    readHeld(others);
                }
            } catch (SQLException e) {
                throw new LedgerUnavailableException("Could not record received events", e);
            }
        }

        private void readHeld(List<RawEvent> events) throws SQLException {
            try (PreparedStatement select = connection.prepareStatement(HELD)) {
                select.setArray(1, text(events, RawEvent::topic));
                select.setArray(2, text(events, RawEvent::id));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        held.put(new Key(rows.getString(1), rows.getString(2)),
                                new Held(rows.getString(3), rows.getString(4)));
                    }
                }
            }
        }

        private java.sql.Array text(List<RawEvent> events, Function<RawEvent, String> field) throws SQLException {
            return connection.createArrayOf("text", events.stream().map(field).toArray());
        }

        /** Whether this claim took the event's id: it was not accepted before. */
        public boolean claimed(RawEvent event) {
            return claimed.contains(Key.of(event));
        }

        /**
         * What was accepted before under the event's id, when this claim did not take it; empty only when the
         * row went away meanwhile (forgotten past the dedupe window).
         */
        public Optional<Held> held(RawEvent event) {
            return Optional.ofNullable(held.get(Key.of(event)));
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
