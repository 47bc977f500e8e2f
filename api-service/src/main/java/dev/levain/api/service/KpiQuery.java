package dev.levain.api.service;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * A validated KPI query: which stores, which period, how to cut it, and the time zone business days are
 * counted in ({@code empty} = each store's own, as the rollups are kept).
 */
public record KpiQuery(List<Store> stores, Period period, Granularity granularity, Optional<ZoneId> timezone) {

    public long[] storeIds() {
        return stores.stream().mapToLong(Store::id).toArray();
    }

    /** The same query over another period (for comparisons). */
    public KpiQuery over(Period other) {
        return new KpiQuery(stores, other, granularity, timezone);
    }

    /**
     * Whether answering means scanning sales rather than reading day rollups: another time zone than the
     * stores' own, or a period longer than {@code overDays}.
     */
    public boolean expensive(int overDays) {
        return timezone.isPresent() || period.days() > overDays;
    }

    /** The zone to name in a response: the given one, or "store" for each store's own. */
    public String timezoneName() {
        return timezone.map(ZoneId::getId).orElse("store");
    }
}
