package dev.levain.normalize.mapping;

/**
 * Who bought, as far as the sale says: any of the source's customer id, an e-mail (lower-cased)
 * or a phone (E.164). Identity resolution turns it into one {@code core.customer}.
 */
public record CustomerRef(String source, String sourceId, String email, String phone, String name) {

    /** Whether there is anything to identify someone by. */
    public boolean isEmpty() {
        return sourceId == null && email == null && phone == null;
    }
}
