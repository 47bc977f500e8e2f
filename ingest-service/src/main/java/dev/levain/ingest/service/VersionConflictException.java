package dev.levain.ingest.service;

import java.util.List;

/**
 * Pushed records that change a version already accepted (409): the same id with other content is never taken
 * as a duplicate, and the sender is told to send the change under a higher version. Nothing was published.
 */
public class VersionConflictException extends RuntimeException {

    private final List<FieldError> errors;

    public VersionConflictException(List<FieldError> errors) {
        super(errors.size() == 1 ? errors.get(0).message() + ". Nothing was accepted."
                : "Nothing was accepted: each item is named in errors.");
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    /**
     * The error naming one changed record, in {@code field}: {@code what} (e.g. "sale L1BASTILLE/S-1"), the
     * version the sender used (e.g. "version 3", "updated_at 2026-11-27T08:15:00Z"), and what to send instead.
     */
    public static FieldError changed(String field, String what, String version, String next) {
        return new FieldError(field, what + ", " + version + ", was already accepted with other content; "
                + "send the change with " + next);
    }
}
