package dev.levain.ingest.service.pull;

/**
 * One successful pull: where the next one resumes, and what it published. {@code rejected} counts the
 * entries skipped because they could not become an event (each logged and counted as rejected).
 */
public record PullResult(String nextCursor, int fetched, int published, int duplicates, int rejected) {

    /** A pull that skipped nothing. */
    public PullResult(String nextCursor, int fetched, int published, int duplicates) {
        this(nextCursor, fetched, published, duplicates, 0);
    }
}
