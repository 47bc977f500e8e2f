package dev.levain.normalize.service;

/** A canonical record with the landed raw event it came from, for lineage. */
public record Sourced<T>(T record, long rawEventId) {
}
