package dev.levain.api.service;

import dev.levain.api.repository.LineageRepository.Origin;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one store's business day of sales comes from: how many sales and refunds, how many raw events from which
 * source and of which type, and each raw event.
 */
public record DailySalesLineage(String store, LocalDate businessDate, long sales, long refunds, long rawEvents,
                                List<SourceCount> bySource, List<Origin> events) {

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
        long sales = events.stream().filter(e -> e.entity().equals("sale")).map(Origin::entityId).distinct().count();
        long refunds = events.stream().filter(e -> e.entity().equals("refund")).map(Origin::entityId).distinct().count();
        long raw = events.stream().map(Origin::rawEventId).distinct().count();
        return new DailySalesLineage(store, day, sales, refunds, raw, List.copyOf(counts.values()), events);
    }
}
