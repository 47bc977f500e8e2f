package dev.levain.ingest.service.pull;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.ingest.config.Source;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Saving pull cursors in {@code ingest.pull_cursor}: they only move forward, by each job's own order, so a
 * replica (or a lease holder that lost its lease) finishing late cannot put a cursor back.
 */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class PullCursorsTest {

    private static final String NEWER = "2026-11-28T09:00:00Z";
    private static final String OLDER = "2026-11-27T23:59:59.999Z";

    @Inject
    PullCursors cursors;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void savingAnOlderCursorAfterANewerOneLeavesTheNewerOne() {
        PullJob job = new InstantCursorJob("test-cursor-" + UUID.randomUUID());

        assertThat(cursors.advance(job, NEWER)).isEqualTo(NEWER);
        assertThat(cursors.advance(job, OLDER)).isEqualTo(NEWER);

        assertThat(storedCursor(job.name())).isEqualTo(NEWER);
    }

    @Test
    void aLaterCursorReplacesTheStoredOne() {
        PullJob job = new InstantCursorJob("test-cursor-" + UUID.randomUUID());

        cursors.advance(job, OLDER);
        cursors.advance(job, NEWER);

        assertThat(storedCursor(job.name())).isEqualTo(NEWER);
    }

    /** A job only there to name a cursor with instants in it, as the CRM and inventory pulls keep. */
    private record InstantCursorJob(String name) implements PullJob {

        @Override
        public Source source() {
            return Source.CRM;
        }

        @Override
        public Duration every() {
            return Duration.ofMinutes(5);
        }

        @Override
        public PullResult pull(Optional<String> cursor) {
            throw new UnsupportedOperationException("never run");
        }
    }

    private String storedCursor(String job) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT position FROM ingest.pull_cursor WHERE job = ?")) {
            select.setString(1, job);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
