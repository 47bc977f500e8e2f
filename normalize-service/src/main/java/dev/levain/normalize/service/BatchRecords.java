package dev.levain.normalize.service;

import dev.levain.normalize.mapping.CanonicalCustomer;
import dev.levain.normalize.mapping.CanonicalProduct;
import dev.levain.normalize.mapping.CanonicalRecord;
import dev.levain.normalize.mapping.CanonicalRefund;
import dev.levain.normalize.mapping.CanonicalSale;
import dev.levain.normalize.mapping.CanonicalStockLevel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The canonical records of one batch sorted by kind, each with its raw event. Sales, refunds
 * and products keep the newest version per key (one row may be written once per statement);
 * customers and stock levels keep every record, since each one matters (identities, movements).
 */
record BatchRecords(List<Sourced<CanonicalSale>> sales, List<Sourced<CanonicalRefund>> refunds,
                    List<Sourced<CanonicalProduct>> products, List<Sourced<CanonicalCustomer>> customers,
                    List<Sourced<CanonicalStockLevel>> levels) {

    static BatchRecords of(List<MappedEvent> events, List<Long> rawIds) {
        Map<String, Sourced<CanonicalSale>> sales = new LinkedHashMap<>();
        Map<String, Sourced<CanonicalRefund>> refunds = new LinkedHashMap<>();
        Map<String, Sourced<CanonicalProduct>> products = new LinkedHashMap<>();
        List<Sourced<CanonicalCustomer>> customers = new ArrayList<>();
        List<Sourced<CanonicalStockLevel>> levels = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            long rawId = rawIds.get(i);
            for (CanonicalRecord record : events.get(i).records()) {
                if (record instanceof CanonicalSale sale) {
                    sales.merge(sale.source() + "\n" + sale.sourceId(), new Sourced<>(sale, rawId),
                            (a, b) -> newest(a, b, CanonicalSale::version, CanonicalSale::receivedAt));
                } else if (record instanceof CanonicalRefund refund) {
                    refunds.merge(refund.source() + "\n" + refund.sourceId(), new Sourced<>(refund, rawId),
                            (a, b) -> newest(a, b, CanonicalRefund::version, CanonicalRefund::receivedAt));
                } else if (record instanceof CanonicalProduct product) {
                    products.merge(product.sku(), new Sourced<>(product, rawId),
                            (a, b) -> newest(a, b, CanonicalProduct::version, CanonicalProduct::receivedAt));
                } else if (record instanceof CanonicalCustomer customer) {
                    customers.add(new Sourced<>(customer, rawId));
                } else if (record instanceof CanonicalStockLevel level) {
                    levels.add(new Sourced<>(level, rawId));
                }
            }
        }
        // Levels stay in arrival order, as across batches: a count older than one before it changes nothing,
        // whether or not the two share a batch.
        return new BatchRecords(List.copyOf(sales.values()), List.copyOf(refunds.values()),
                List.copyOf(products.values()), customers, levels);
    }

    /** Every store code the records name. */
    TreeSet<String> storeCodes() {
        TreeSet<String> codes = new TreeSet<>();
        sales.forEach(s -> codes.add(s.record().storeCode()));
        levels.forEach(l -> codes.add(l.record().storeCode()));
        return codes;
    }

    /** Every SKU sold, given back or counted, with the name to give it if it is new. */
    Map<String, String> skuNames() {
        Map<String, String> names = new LinkedHashMap<>();
        sales.forEach(s -> s.record().lines().forEach(l -> names.putIfAbsent(l.sku(), l.name())));
        refunds.forEach(r -> r.record().lines().forEach(l -> names.putIfAbsent(l.sku(), l.name())));
        levels.forEach(l -> names.putIfAbsent(l.record().sku(), l.record().sku()));
        return names;
    }

    private static <T> Sourced<T> newest(Sourced<T> a, Sourced<T> b, java.util.function.ToLongFunction<T> version,
                                         java.util.function.Function<T, Instant> receivedAt) {
        return newer(version.applyAsLong(a.record()), receivedAt.apply(a.record()), version.applyAsLong(b.record()),
                receivedAt.apply(b.record())) ? a : b;
    }

    /** Whether version (v1, r1) is at least as new as (v2, r2). */
    static boolean newer(long v1, Instant r1, long v2, Instant r2) {
        return v1 != v2 ? v1 > v2 : r1.compareTo(r2) >= 0;
    }
}
