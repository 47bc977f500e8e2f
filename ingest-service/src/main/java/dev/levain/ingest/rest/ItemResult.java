package dev.levain.ingest.rest;

import dev.levain.ingest.service.FieldError;
import dev.levain.ingest.service.IngestResult;
import java.util.List;

/**
 * What became of one pushed item (a sale, a contact, a stock level): accepted (published now), duplicate
 * (accepted before with the same content) or rejected with its errors (invalid, or changing a version accepted
 * before with other content). {@code index} and {@code key} only within a batch.
 */
public record ItemResult(Integer index, String key, String status, String eventId, List<FieldError> errors) {

    static final String ACCEPTED = "accepted";
    static final String DUPLICATE = "duplicate";
    static final String REJECTED = "rejected";

    static ItemResult of(Integer index, String key, IngestResult result) {
        return new ItemResult(index, key, result.duplicate() ? DUPLICATE : ACCEPTED, result.eventId(), null);
    }

    static ItemResult of(IngestResult result) {
        return of(null, null, result);
    }

    static ItemResult rejected(int index, List<FieldError> errors) {
        return rejected(index, null, errors);
    }

    static ItemResult rejected(int index, String key, List<FieldError> errors) {
        return new ItemResult(index, key, REJECTED, null, errors);
    }
}
