package dev.levain.ingest.service.pull;

/** One successful pull: where the next one resumes, and what it published. */
public record PullResult(String nextCursor, int fetched, int published, int duplicates) {
}
