package dev.levain.ingest.service;

/**
 * What to do with an event whose id (source, entity, version) was accepted before with other content
 * (DESIGN §2: never answered "duplicate" and dropped).
 */
public enum ConflictPolicy {

    /** A push: the sender is told (409) and can send the change with a higher version. Nothing is published. */
    REFUSE,

    /**
     * A pulled record, or a vendor's (Square) that cannot be asked to resend: published as a correction
     * ({@link RawEvent#correction()}), which the normalizer orders after the earlier one by receipt.
     */
    KEEP_AS_CORRECTION
}
