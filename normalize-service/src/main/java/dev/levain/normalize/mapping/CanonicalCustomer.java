package dev.levain.normalize.mapping;

import java.time.Instant;

/**
 * A customer record from a CRM (or a POS's customer directory): e-mail lower-cased, phone E.164,
 * name with standardized whitespace. Versions are ordered by {@code (version, receivedAt)}, the
 * version being the source's update time in epoch milliseconds.
 */
public record CanonicalCustomer(
        String source,
        String sourceId,
        String email,
        String phone,
        String name,
        Boolean marketingOptIn,
        long version,
        Instant receivedAt) implements CanonicalRecord {
}
