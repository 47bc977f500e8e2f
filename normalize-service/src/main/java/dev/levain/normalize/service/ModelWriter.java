package dev.levain.normalize.service;

import dev.levain.events.inventory.InventoryChanged;
import dev.levain.events.sales.SaleRecorded;
import dev.levain.normalize.config.NormalizeConfig;
import dev.levain.normalize.mapping.CanonicalCustomer;
import dev.levain.normalize.mapping.CanonicalRefund;
import dev.levain.normalize.mapping.CanonicalSale;
import dev.levain.normalize.mapping.CanonicalStockLevel;
import dev.levain.normalize.mapping.CustomerRef;
import dev.levain.normalize.repository.CustomerRepository;
import dev.levain.normalize.repository.CustomerRepository.Identity;
import dev.levain.normalize.repository.CustomerRepository.Resolution;
import dev.levain.normalize.repository.CustomerRepository.Subject;
import dev.levain.normalize.repository.InventoryRepository;
import dev.levain.normalize.repository.KeyLocks;
import dev.levain.normalize.repository.InventoryRepository.Level;
import dev.levain.normalize.repository.InventoryRepository.Movement;
import dev.levain.normalize.repository.Lineage;
import dev.levain.normalize.repository.LineageRepository;
import dev.levain.normalize.repository.ProductRepository;
import dev.levain.normalize.repository.ProductRepository.CatalogChange;
import dev.levain.normalize.repository.RawEventRepository;
import dev.levain.normalize.repository.RefundRepository;
import dev.levain.normalize.repository.RejectedEventRepository;
import dev.levain.normalize.repository.RejectedEventRepository.Rejection;
import dev.levain.normalize.repository.RollupRepository;
import dev.levain.normalize.repository.SaleRepository;
import dev.levain.normalize.repository.SaleRepository.Key;
import dev.levain.normalize.repository.StoreRepository;
import dev.levain.normalize.repository.StoreRepository.StoreRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one batch of mapped raw events into the model on one connection, inside the caller's
 * transaction: raw events landed, rejections kept, stores, products, customers (identities and
 * merges), sales with lines, refunds, stock levels, rollups and lineage. Returns what to announce
 * once the transaction commits.
 *
 * <p>An update that is not newer than what is stored changes nothing; on a replay, an equal
 * version is written again, so a fixed mapping takes effect and the rollups stay exact.
 */
@ApplicationScoped
public class ModelWriter {

    private final RawEventRepository rawEvents;
    private final RejectedEventRepository rejectedEvents;
    private final StoreRepository stores;
    private final ProductRepository products;
    private final CustomerRepository customers;
    private final SaleRepository sales;
    private final RefundRepository refunds;
    private final InventoryRepository inventory;
    private final RollupRepository rollups;
    private final LineageRepository lineage;
    private final KeyLocks keyLocks;
    private final NormalizeConfig config;

    public ModelWriter(RawEventRepository rawEvents, RejectedEventRepository rejectedEvents, StoreRepository stores,
                       ProductRepository products, CustomerRepository customers, SaleRepository sales,
                       RefundRepository refunds, InventoryRepository inventory, RollupRepository rollups,
                       LineageRepository lineage, KeyLocks keyLocks, NormalizeConfig config) {
        this.rawEvents = rawEvents;
        this.rejectedEvents = rejectedEvents;
        this.stores = stores;
        this.products = products;
        this.customers = customers;
        this.sales = sales;
        this.refunds = refunds;
        this.inventory = inventory;
        this.rollups = rollups;
        this.lineage = lineage;
        this.keyLocks = keyLocks;
        this.config = config;
    }

    /** Writes the batch; the caller commits. */
    public Announcements write(Connection connection, List<MappedEvent> events, List<Rejection> rejections,
                               boolean replay) throws SQLException {
        keyLocks.lock(connection, lockKeys(events));
        List<Long> rawIds = rawEvents.land(connection, events.stream().map(MappedEvent::raw).toList());
        rejectedEvents.record(connection, rejections);
        BatchRecords records = BatchRecords.of(events, rawIds);
        List<Lineage> links = new ArrayList<>();
        Map<String, StoreRef> storeRefs = stores.ensure(connection, records.storeCodes(),
                ZoneId.of(config.defaultStoreTimezone()), config.defaultCurrency());
        CatalogChange catalog = products.upsertCatalog(connection, records.products(), replay);
        links.addAll(catalog.lineage());
        rollups.backfillCosts(connection, catalog.firstCost());
        Map<String, Long> productIds = products.ensure(connection, records.skuNames());

        Set<Long> customersToRecount = new HashSet<>();
        List<Long> saleCustomers = resolveCustomers(connection, records, replay, links, customersToRecount);
        Set<Long> merged = Set.copyOf(customersToRecount);
        SalesWritten written = writeSalesAndRefunds(connection, records, saleCustomers, merged, storeRefs, productIds,
                replay, links, customersToRecount);
        sales.updateRefunded(connection, written.refundedSales());
        rollups.firstPurchases(connection, customersToRecount);
        rollups.earlierFirstPurchases(connection, written.inserted());
        Set<InventoryRepository.Key> levels = writeLevels(connection, records.levels(), storeRefs, productIds);
        levels.addAll(inventory.bump(connection, catalog.reorderPointChanged()));
        lineage.record(connection, links);
        // Last, so that the rows every batch of a store's day shares are held only until the commit.
        rollups.restate(connection, written.sales(), written.refunds(), 1);

        List<Key> saleKeys = records.sales().stream().map(s -> new Key(s.record().source(), s.record().sourceId())).toList();
        // A sale whose refunds changed is announced again: its refunded amount is part of what it says.
        List<SaleRecorded> recorded = sales.recorded(connection, saleKeys, written.refundedSales());
        List<InventoryChanged> changed = inventory.changed(connection, levels);
        return new Announcements(recorded, changed, rejections);
    }

    /**
     * What a batch compares with the stored state before it writes: its sales, its refunds and
     * the sales they refund (a refund and its sale meet there, whichever comes first), its stock
     * levels. Two transactions writing other keys run side by side.
     */
    private static List<String> lockKeys(List<MappedEvent> events) {
        List<String> keys = new ArrayList<>();
        for (MappedEvent event : events) {
            for (var record : event.records()) {
                if (record instanceof CanonicalSale sale) {
                    keys.add(KeyLocks.sale(sale.source(), sale.sourceId()));
                } else if (record instanceof CanonicalRefund refund) {
                    keys.add(KeyLocks.refund(refund.source(), refund.sourceId()));
                    if (refund.saleSourceId() != null) {
                        keys.add(KeyLocks.sale(refund.saleSource(), refund.saleSourceId()));
                    }
                } else if (record instanceof CanonicalStockLevel level) {
                    keys.add(KeyLocks.level(level.storeCode(), level.sku()));
                }
            }
        }
        return keys;
    }

    /** Resolves CRM customers and the buyers of sales; returns the customer of each sale (null if anonymous). */
    private List<Long> resolveCustomers(Connection connection, BatchRecords records, boolean replay, List<Lineage> links,
                                        Set<Long> customersToRecount) throws SQLException {
        List<Subject> subjects = new ArrayList<>();
        for (Sourced<CanonicalCustomer> sourced : records.customers()) {
            CanonicalCustomer c = sourced.record();
            subjects.add(new Subject(identities(c.source(), c.sourceId(), c.email(), c.phone()), c.email(), c.phone(), c.name()));
        }
        List<Integer> saleSubjects = new ArrayList<>();
        for (Sourced<CanonicalSale> sourced : records.sales()) {
            CustomerRef ref = sourced.record().customer();
            if (ref == null || ref.isEmpty()) {
                saleSubjects.add(null);
            } else {
                saleSubjects.add(subjects.size());
                subjects.add(new Subject(identities(ref.source(), ref.sourceId(), ref.email(), ref.phone()),
                        ref.email(), ref.phone(), ref.name()));
            }
        }
        Resolution resolution = customers.resolve(connection, subjects);
        List<Long> ids = resolution.customerIds();
        links.addAll(customers.updateFromCrm(connection, records.customers(), ids.subList(0, records.customers().size()),
                replay));
        rollups.rebuildCustomers(connection, resolution.merged());
        customersToRecount.addAll(resolution.merged());
        return saleSubjects.stream().map(i -> i == null ? null : ids.get(i)).toList();
    }

    private static List<Identity> identities(String source, String sourceId, String email, String phone) {
        List<Identity> identities = new ArrayList<>();
        if (sourceId != null) {
            identities.add(new Identity(source, sourceId));
        }
        if (email != null) {
            identities.add(new Identity("email", email));
        }
        if (phone != null) {
            identities.add(new Identity("phone", phone));
        }
        return identities;
    }

    /**
     * What a batch wrote of sales and refunds: the sales and refunds whose contribution the
     * rollups add back, the sales whose refunded amount changed, and the sales stored for the
     * first time.
     */
    private record SalesWritten(Set<Long> sales, Set<Long> refunds, Set<Long> refundedSales, List<Long> inserted) {
    }

    /**
     * Writes the sales and refunds newer than stored. What the replaced ones contributed to the
     * rollups (a replaced sale's refunds included) is taken off before anything changes; what the
     * written ones contribute is added back by the caller at the end. A replaced sale's customers,
     * old and new, get their first purchase recounted.
     */
    private SalesWritten writeSalesAndRefunds(Connection connection, BatchRecords records, List<Long> customerIds,
                                              Set<Long> merged,
                                              Map<String, StoreRef> storeRefs, Map<String, Long> productIds,
                                              boolean replay, List<Lineage> links, Set<Long> customersToRecount)
            throws SQLException {
        List<Sourced<CanonicalSale>> saleBatch = records.sales();
        List<Sourced<CanonicalRefund>> refundBatch = records.refunds();
        Map<Key, SaleRepository.Stored> storedSales = saleBatch.isEmpty() ? Map.of() : sales.lock(connection,
                saleBatch.stream().map(s -> new Key(s.record().source(), s.record().sourceId())).toList());
        Map<Key, RefundRepository.Stored> storedRefunds = refundBatch.isEmpty() ? Map.of() : refunds.lock(connection,
                refundBatch.stream().map(r -> new Key(r.record().source(), r.record().sourceId())).toList());

        List<SaleRepository.Row> saleWinners = new ArrayList<>();
        List<Long> replacedSales = new ArrayList<>();
        for (int i = 0; i < saleBatch.size(); i++) {
            CanonicalSale sale = saleBatch.get(i).record();
            SaleRepository.Stored before = storedSales.get(new Key(sale.source(), sale.sourceId()));
            if (before != null && !isNewer(sale.version(), sale.receivedAt(), before.version(), before.receivedAt(), replay)) {
                continue;
            }
            if (before != null) {
                replacedSales.add(before.id());
                if (before.customerId() != null) {
                    customersToRecount.add(before.customerId());
                }
                if (customerIds.get(i) != null) {
                    customersToRecount.add(customerIds.get(i));
                }
            }
            StoreRef store = storeRefs.get(sale.storeCode());
            saleWinners.add(new SaleRepository.Row(sale, store.id(), customerIds.get(i),
                    sale.occurredAt().atZoneSameInstant(store.timezone()).toLocalDate(), saleBatch.get(i).rawEventId(),
                    productIds));
        }
        List<Sourced<CanonicalRefund>> refundWinners = new ArrayList<>();
        Set<Long> replacedRefunds = new HashSet<>();
        for (Sourced<CanonicalRefund> sourced : refundBatch) {
            CanonicalRefund refund = sourced.record();
            RefundRepository.Stored before = storedRefunds.get(new Key(refund.source(), refund.sourceId()));
            if (before == null || isNewer(refund.version(), refund.receivedAt(), before.version(), before.receivedAt(), replay)) {
                refundWinners.add(sourced);
                if (before != null) {
                    replacedRefunds.add(before.id());
                }
            }
        }
        // A replaced sale's former buyer may be one this batch did not resolve: held off from merges too
        // (those of this batch's own merges are locked already).
        Set<Long> formerBuyers = new HashSet<>();
        saleWinners.forEach(w -> {
            SaleRepository.Stored before = storedSales.get(w.key());
            if (before != null && before.customerId() != null && !merged.contains(before.customerId())) {
                formerBuyers.add(before.customerId());
            }
        });
        customers.lockJoined(connection, formerBuyers);
        Set<Long> removedRefunds = new HashSet<>(refunds.ofSales(connection, replacedSales));
        removedRefunds.addAll(replacedRefunds);
        rollups.restate(connection, replacedSales, removedRefunds, -1);

        Set<Long> writtenSales = new HashSet<>();
        Set<Long> linkedRefunds = new HashSet<>();
        Set<Long> refundedSales = new HashSet<>();
        List<Long> inserted = new ArrayList<>();
        if (!saleWinners.isEmpty()) {
            Map<Key, Long> ids = sales.write(connection, saleWinners, replacedSales);
            writtenSales.addAll(ids.values());
            RefundRepository.Links linked = refunds.linkSales(connection, ids.values());
            linkedRefunds.addAll(linked.refundIds());
            refundedSales.addAll(linked.saleIds());
            saleWinners.forEach(w -> links.add(new Lineage("sale", ids.get(w.key()), w.rawEventId())));
            Set<Long> replacedIds = new HashSet<>(replacedSales);
            ids.values().stream().filter(id -> !replacedIds.contains(id)).forEach(inserted::add);
        }
        if (!refundWinners.isEmpty()) {
            List<Long> ids = refunds.write(connection, refundWinners, productIds);
            RefundRepository.Links linked = refunds.linkRefunds(connection, ids);
            linkedRefunds.addAll(linked.refundIds());
            refundedSales.addAll(linked.saleIds());
            for (int i = 0; i < ids.size(); i++) {
                links.add(new Lineage("refund", ids.get(i), refundWinners.get(i).rawEventId()));
            }
        }
        return new SalesWritten(writtenSales, linkedRefunds, refundedSales, inserted);
    }

    /**
     * Applies stock levels in the order they were counted; each newer count is a movement. A count
     * that does not replace the stored one changes nothing, on a replay too, so that versions (and
     * the events announcing them) come out the same.
     */
    private Set<InventoryRepository.Key> writeLevels(Connection connection, List<Sourced<CanonicalStockLevel>> batch,
                                                     Map<String, StoreRef> storeRefs, Map<String, Long> productIds)
            throws SQLException {
        Set<InventoryRepository.Key> keys = new LinkedHashSet<>();
        for (Sourced<CanonicalStockLevel> sourced : batch) {
            keys.add(new InventoryRepository.Key(productIds.get(sourced.record().sku()),
                    storeRefs.get(sourced.record().storeCode()).id()));
        }
        if (keys.isEmpty()) {
            return keys;
        }
        Map<InventoryRepository.Key, Level> current = new LinkedHashMap<>(inventory.lock(connection, keys));
        Map<InventoryRepository.Key, Level> changed = new LinkedHashMap<>();
        List<Movement> movements = new ArrayList<>();
        for (Sourced<CanonicalStockLevel> sourced : batch) {
            CanonicalStockLevel level = sourced.record();
            StoreRef store = storeRefs.get(level.storeCode());
            InventoryRepository.Key key = new InventoryRepository.Key(productIds.get(level.sku()), store.id());
            Level before = current.get(key);
            if (before != null && !replaces(level, before)) {
                continue;
            }
            java.math.BigDecimal previous = before == null ? null : before.onHand();
            Level after = new Level(level.onHand(), previous, level.asOf(), level.receivedAt(),
                    before == null ? 1 : before.version() + 1, level.source(), sourced.rawEventId());
            current.put(key, after);
            changed.put(key, after);
            movements.add(new Movement(key, level.asOf(), previous, level.onHand(), sourced.rawEventId(),
                    level.asOf().atZoneSameInstant(store.timezone()).toLocalDate()));
        }
        if (!changed.isEmpty()) {
            inventory.write(connection, changed, movements);
        }
        return keys;
    }

    /**
     * A count replaces the stored one when it was counted later; counted at the same instant, only
     * when it says something else and was received later (a correction). The same count delivered
     * again changes nothing.
     */
    private static boolean replaces(CanonicalStockLevel level, Level stored) {
        int byCount = level.asOf().toInstant().compareTo(stored.asOf().toInstant());
        return byCount > 0 || (byCount == 0 && level.onHand().compareTo(stored.onHand()) != 0
                && level.receivedAt().isAfter(stored.receivedAt()));
    }

    /** Whether (version, receivedAt) replaces the stored one: strictly newer, or equal on a replay. */
    private static boolean isNewer(long version, java.time.Instant receivedAt, long storedVersion,
                                   java.time.Instant storedReceivedAt, boolean replay) {
        int byVersion = Long.compare(version, storedVersion);
        int order = byVersion != 0 ? byVersion : receivedAt.compareTo(storedReceivedAt);
        return order > 0 || (replay && order == 0);
    }
}
