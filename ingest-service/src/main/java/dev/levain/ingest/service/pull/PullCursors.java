package dev.levain.ingest.service.pull;

import dev.levain.ingest.repository.PullCursorRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Moves pull cursors forward only: a cursor is saved when it is later than the stored one by its job's own
 * order ({@link PullJob#isAfter}), with a compare-and-set, so a replica finishing late never puts it back.
 */
@ApplicationScoped
public class PullCursors {

    private static final Logger LOG = Logger.getLogger(PullCursors.class);
    // Each retry means another replica saved in between; a few are plenty, since each leaves a later cursor.
    private static final int ATTEMPTS = 5;

    private final PullCursorRepository cursors;

    public PullCursors(PullCursorRepository cursors) {
        this.cursors = cursors;
    }

    public Optional<String> find(PullJob job) {
        return cursors.find(job.name());
    }

    /** Saves {@code next} if it moves the cursor of {@code job} forward; returns the cursor stored afterwards. */
    public String advance(PullJob job, String next) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<String> stored = cursors.find(job.name());
            if (stored.isPresent() && !job.isAfter(next, stored.get())) {
                if (!next.equals(stored.get())) {
                    LOG.infof("Cursor of %s kept at %s: %s is not later", job.name(), stored.get(), next);
                }
                return stored.get();
            }
            if (cursors.replace(job.name(), stored, next)) {
                return next;
            }
        }
        String stored = cursors.find(job.name()).orElse(next);
        LOG.warnf("Cursor of %s left at %s: it kept changing while %s was being saved", job.name(), stored, next);
        return stored;
    }
}
