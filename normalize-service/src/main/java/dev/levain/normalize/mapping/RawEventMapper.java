package dev.levain.normalize.mapping;

import dev.levain.normalize.service.RawEnvelope;
import java.util.List;
import java.util.Set;

/**
 * Turns the raw events of one source format into canonical records. One implementation per
 * format; adding a format means adding a mapper, nothing else. The raw topic is not trusted:
 * what ingest checked is checked again, since raw events are also replayed.
 */
public interface RawEventMapper {

    /** The CloudEvents {@code type}s this mapper reads. */
    Set<String> types();

    /**
     * The canonical records in {@code raw}; empty when the event carries nothing for the model
     * (it is still landed for lineage).
     *
     * @throws dev.levain.normalize.service.RejectedEventException naming the field when the event
     *     cannot be mapped
     */
    List<CanonicalRecord> map(RawEnvelope raw);
}
