package dev.levain.ingest.rest;

import dev.levain.ingest.service.FieldError;
import dev.levain.ingest.service.IngestResult;
import java.util.List;

/**
 * What became of one pushed item (a sale, a contact, a stock level): accepted (published now), duplicate
 * (accepted before) or rejected with its errors. {@code index} and {@code key} only within a batch.
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
        return new ItemResult(index, null, REJECTED, null, errors);
    }
}
