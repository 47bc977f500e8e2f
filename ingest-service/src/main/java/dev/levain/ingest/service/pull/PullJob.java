package dev.levain.ingest.service.pull;

import dev.levain.ingest.config.Source;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A source Levain pulls on a schedule (CRM contacts, stock levels, the catalog, POS reconciliation).
 * Adding one means adding a bean; {@link PullScheduler} runs it, backs off on failure, keeps its
 * cursor and reports its health.
 */
public interface PullJob {

    /** Unique name: the cursor key, the metrics tag and {@code /api/v1/ingest/pulls/<name>}. */
    String name();

    Source source();

    /** Time between two pulls while the outside system answers. */
    Duration every();

    /** False while the job lacks what it needs (e.g. no API URL configured): it is then neither run nor listed. */
    default boolean enabled() {
        return true;
    }

    /**
     * Pulls what changed since {@code cursor} (empty on the first run), publishes it and returns where the
     * next pull resumes. Throws when the outside system failed; the cursor then stays where it was.
     */
    PullResult pull(Optional<String> cursor);

    /**
     * Whether cursor {@code next} is later than {@code stored} in this job's order: a cursor is only ever saved
     * forward. By default cursors are instants; a stored one that is not readable may be replaced.
     */
    default boolean isAfter(String next, String stored) {
        Instant storedAt;
        try {
            storedAt = Instant.parse(stored);
        } catch (DateTimeParseException e) {
            return true;
        }
        return Instant.parse(next).isAfter(storedAt);
    }
}
