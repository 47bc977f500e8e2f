package dev.levain.ingest.rest;

import dev.levain.ingest.service.VersionConflictException;
import java.util.List;
import java.util.stream.Stream;

/** What became of each item of a pushed batch, with the counts. */
public record BatchReport(long accepted, long duplicates, long rejected, List<ItemResult> results) {

    static BatchReport of(List<ItemResult> results) {
        return new BatchReport(count(results, ItemResult.ACCEPTED), count(results, ItemResult.DUPLICATE),
                count(results, ItemResult.REJECTED), results);
    }

    /**
     * Refuses the whole request (409) when no item of it was taken, not even as a duplicate: every valid
     * item changed a version already accepted. The errors name every refused item.
     */
    void refuseIfNoneTaken() {
        if (accepted + duplicates == 0) {
            throw new VersionConflictException(results.stream()
                    .flatMap(r -> r.errors() == null ? Stream.empty() : r.errors().stream()).toList());
        }
    }

    private static long count(List<ItemResult> results, String status) {
        return results.stream().filter(r -> r.status().equals(status)).count();
    }
}
