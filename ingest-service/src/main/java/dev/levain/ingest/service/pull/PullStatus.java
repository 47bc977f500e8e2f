package dev.levain.ingest.service.pull;

import java.time.Instant;

/** The last known state of one pull job, as shown by health and {@code GET /api/v1/ingest/pulls}. */
public record PullStatus(
        String job,
        String source,
        String cursor,
        Instant lastSuccessAt,
        Instant lastFailureAt,
        String lastError,
        int consecutiveFailures,
        Instant nextAttemptAt,
        PullResult lastResult) {

    static PullStatus initial(PullJob job, String cursor) {
        return new PullStatus(job.name(), job.source().name().toLowerCase(), cursor, null, null, null, 0, Instant.EPOCH,
                null);
    }

    PullStatus succeeded(PullResult result, String storedCursor, Instant now, Instant next) {
        return new PullStatus(job, source, storedCursor, now, lastFailureAt, null, 0, next, result);
    }

    PullStatus failed(String error, Instant now, Instant next) {
        return new PullStatus(job, source, cursor, lastSuccessAt, now, error, consecutiveFailures + 1, next,
                lastResult);
    }

    public boolean healthy() {
        return consecutiveFailures == 0;
    }
}
