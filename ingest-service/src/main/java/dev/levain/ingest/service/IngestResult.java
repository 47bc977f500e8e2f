package dev.levain.ingest.service;

/** What became of one event: published now, or already accepted before (and not published again). */
public record IngestResult(String eventId, boolean duplicate) {
}
