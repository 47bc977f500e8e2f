package dev.levain.api.service;

import dev.levain.api.repository.LineageRepository.Origin;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one store's business day of sales comes from: how many completed sales and refunds make its figure, how
 * many other rows (voided sales, refunds not completed) came that day without counting, how many raw events from
 * which source and of which type, and each raw event.
 */
public record DailySalesLineage(String store, LocalDate businessDate, long sales, long refunds, long notCounted,
                                long rawEvents, List<SourceCount> bySource, List<Origin> events) {

    /** Raw events of one source and type behind the day's sales or refunds. */
    public record SourceCount(String source, String type, String entity, long events) {
    }

    public static DailySalesLineage of(String store, LocalDate day, List<Origin> events) {
        Map<String, SourceCount> counts = new TreeMap<>();
        for (Origin origin : events) {
            counts.merge(origin.source() + "|" + origin.type() + "|" + origin.entity(),
                    new SourceCount(origin.source(), origin.type(), origin.entity(), 1),
                    (a, b) -> new SourceCount(a.source(), a.type(), a.entity(), a.events() + 1));
        }
        long sales = rows(events, "sale", true);
        long refunds = rows(events, "refund", true);
        long notCounted = rows(events, "sale", false) + rows(events, "refund", false);
        long raw = events.stream().map(Origin::rawEventId).distinct().count();
        return new DailySalesLineage(store, day, sales, refunds, notCounted, raw, List.copyOf(counts.values()), events);
    }

    private static long rows(List<Origin> events, String entity, boolean counted) {
        return events.stream().filter(e -> e.entity().equals(entity) && e.counted() == counted).map(Origin::entityId)
                .distinct().count();
    }
}
