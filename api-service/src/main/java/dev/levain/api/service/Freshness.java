package dev.levain.api.service;

import java.time.Instant;

/**
 * How current a response is: {@code asOf} is when ingest received the newest event the model reflects,
 * {@code landedAt} when the normalizer stored it; {@code pendingEvents} are raw events not yet normalized
 * (null when the broker cannot be asked) and {@code lagSeconds} is at most how far behind the model is
 * (0 when nothing is pending).
 */
public record Freshness(Instant asOf, Instant landedAt, Long pendingEvents, Long lagSeconds) {
}
