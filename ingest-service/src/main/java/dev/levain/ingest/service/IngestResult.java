package dev.levain.ingest.service;

/**
 * What became of one event. {@code eventId} is the id it was published under (a correction's own id), or for
 * a duplicate or a conflict the id accepted before.
 */
public record IngestResult(String eventId, Outcome outcome) {

    /** Published now; published now as a correction; accepted before with this content; refused (409). */
    public enum Outcome { ACCEPTED, CORRECTION, DUPLICATE, CONFLICT }

    public boolean published() {
        return outcome == Outcome.ACCEPTED || outcome == Outcome.CORRECTION;
    }

    public boolean duplicate() {
        return outcome == Outcome.DUPLICATE;
    }

    public boolean conflict() {
        return outcome == Outcome.CONFLICT;
    }
}
