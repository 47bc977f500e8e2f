package dev.levain.ingest.rest;

import java.util.List;

/** What became of each item of a pushed batch, with the counts. */
public record BatchReport(long accepted, long duplicates, long rejected, List<ItemResult> results) {

    static BatchReport of(List<ItemResult> results) {
        return new BatchReport(count(results, ItemResult.ACCEPTED), count(results, ItemResult.DUPLICATE),
                count(results, ItemResult.REJECTED), results);
    }

    private static long count(List<ItemResult> results, String status) {
        return results.stream().filter(r -> r.status().equals(status)).count();
    }
}
