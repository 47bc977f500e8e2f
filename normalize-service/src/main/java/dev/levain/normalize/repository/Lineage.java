package dev.levain.normalize.repository;

/** One link from a sourced row of the model ({@code entity}, its id) to a raw event it came from. */
public record Lineage(String entity, long entityId, long rawEventId) {
}
