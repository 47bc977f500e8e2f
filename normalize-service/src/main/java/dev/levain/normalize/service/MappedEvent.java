package dev.levain.normalize.service;

import dev.levain.normalize.mapping.CanonicalRecord;
import java.util.List;

/** A raw event and the canonical records its mapper made of it. */
public record MappedEvent(RawEnvelope raw, List<CanonicalRecord> records) {
}
