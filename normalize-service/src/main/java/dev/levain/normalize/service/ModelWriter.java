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
    private final NormalizeConfig config;

    public ModelWriter(RawEventRepository rawEvents, RejectedEventRepository rejectedEvents, StoreRepository stores,
                       ProductRepository products, CustomerRepository customers, SaleRepository sales,
                       RefundRepository refunds, InventoryRepository inventory, RollupRepository rollups,
                       LineageRepository lineage, NormalizeConfig config) {
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
        this.config = config;
    }

    /** Writes the batch; the caller commits. */
    public Announcements write(Connection connection, List<MappedEvent> events, List<Rejection> rejections,
                               boolean replay) throws SQLException {
        lockWriters(connection, events);
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
        SalesWritten written = writeSales(connection, records.sales(), saleCustomers, storeRefs, productIds, replay,
                links, customersToRecount);
        Set<Long> refundedSales = new HashSet<>(written.withRefunds());
        refundedSales.addAll(writeRefunds(connection, records.refunds(), replay, links));
        sales.updateRefunded(connection, refundedSales);
        rollups.firstPurchases(connection, customersToRecount);
        rollups.earlierFirstPurchases(connection, written.inserted());
        Set<InventoryRepository.Key> levels = writeLevels(connection, records.levels(), storeRefs, productIds);
        levels.addAll(inventory.bump(connection, catalog.reorderPointChanged()));
        lineage.record(connection, links);

        List<Key> saleKeys = records.sales().stream().map(s -> new Key(s.record().source(), s.record().sourceId())).toList();
        // A sale whose refunds changed is announced again: its refunded amount is part of what it says.
        List<SaleRecorded> recorded = sales.recorded(connection, saleKeys, refundedSales);
        List<InventoryChanged> changed = inventory.changed(connection, levels);
        return new Announcements(recorded, changed, rejections);
    }

    /**
     * Versions are compared with what is stored, then written: two transactions writing the same
     * sale or level at once (a replay beside the live consumer) would both see it absent. One
     * writer at a time per kind, for the length of the transaction.
     */
    private static void lockWriters(Connection connection, List<MappedEvent> events) throws SQLException {
        boolean sales = false;
        boolean levels = false;
        for (MappedEvent event : events) {
            for (var record : event.records()) {
                sales |= record instanceof CanonicalSale || record instanceof CanonicalRefund;
                levels |= record instanceof CanonicalStockLevel;
            }
        }
        if (sales) {
            advisoryLock(connection, "core.sale");
        }
        if (levels) {
            advisoryLock(connection, "core.inventory_level");
        }
    }

    private static void advisoryLock(Connection connection, String name) throws SQLException {
        try (var lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, name);
            lock.execute();
        }
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

    /** Sales a batch wrote: those with refunds linked to them, and those stored for the first time. */
    private record SalesWritten(Set<Long> withRefunds, List<Long> inserted) {
    }

    /**
     * Writes the sales newer than stored, restating the rollups around them (their refunds
     * included, those that came before the sale too). A replaced sale's customers, old and new,
     * get their first purchase recounted.
     */
    private SalesWritten writeSales(Connection connection, List<Sourced<CanonicalSale>> batch, List<Long> customerIds,
                                 Map<String, StoreRef> storeRefs, Map<String, Long> productIds, boolean replay,
                                 List<Lineage> links, Set<Long> customersToRecount) throws SQLException {
        if (batch.isEmpty()) {
            return new SalesWritten(Set.of(), List.of());
        }
        Map<Key, SaleRepository.Stored> stored = sales.lock(connection, batch.stream()
                .map(s -> new Key(s.record().source(), s.record().sourceId())).toList());
        List<SaleRepository.Row> winners = new ArrayList<>();
        List<Long> replaced = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            CanonicalSale sale = batch.get(i).record();
            SaleRepository.Stored before = stored.get(new Key(sale.source(), sale.sourceId()));
            if (before != null && !isNewer(sale.version(), sale.receivedAt(), before.version(), before.receivedAt(), replay)) {
                continue;
            }
            if (before != null) {
                replaced.add(before.id());
                if (before.customerId() != null) {
                    customersToRecount.add(before.customerId());
                }
                if (customerIds.get(i) != null) {
                    customersToRecount.add(customerIds.get(i));
                }
            }
            StoreRef store = storeRefs.get(sale.storeCode());
            winners.add(new SaleRepository.Row(sale, store.id(), customerIds.get(i),
                    sale.occurredAt().atZoneSameInstant(store.timezone()).toLocalDate(), batch.get(i).rawEventId(),
                    productIds));
        }
        if (winners.isEmpty()) {
            return new SalesWritten(Set.of(), List.of());
        }
        rollups.sales(connection, replaced, -1);
        rollups.refunds(connection, refunds.ofSales(connection, replaced), -1);
        Map<Key, Long> ids = sales.write(connection, winners, replaced);
        RefundRepository.Links linked = refunds.linkSales(connection, ids.values());
        rollups.sales(connection, ids.values(), 1);
        rollups.refunds(connection, linked.refundIds(), 1);
        winners.forEach(w -> links.add(new Lineage("sale", ids.get(w.key()), w.rawEventId())));
        Set<Long> replacedIds = new HashSet<>(replaced);
        return new SalesWritten(new HashSet<>(linked.saleIds()),
                ids.values().stream().filter(id -> !replacedIds.contains(id)).toList());
    }

    /** Writes the refunds newer than stored; returns the sales they are linked to. */
    private Set<Long> writeRefunds(Connection connection, List<Sourced<CanonicalRefund>> batch, boolean replay,
                                   List<Lineage> links) throws SQLException {
        if (batch.isEmpty()) {
            return new HashSet<>();
        }
        Map<Key, RefundRepository.Stored> stored = refunds.lock(connection, batch.stream()
                .map(r -> new Key(r.record().source(), r.record().sourceId())).toList());
        List<Sourced<CanonicalRefund>> winners = new ArrayList<>();
        List<Long> replaced = new ArrayList<>();
        for (Sourced<CanonicalRefund> sourced : batch) {
            CanonicalRefund refund = sourced.record();
            RefundRepository.Stored before = stored.get(new Key(refund.source(), refund.sourceId()));
            if (before == null || isNewer(refund.version(), refund.receivedAt(), before.version(), before.receivedAt(), replay)) {
                winners.add(sourced);
                if (before != null) {
                    replaced.add(before.id());
                }
            }
        }
        if (winners.isEmpty()) {
            return new HashSet<>();
        }
        rollups.refunds(connection, replaced, -1);
        List<Long> ids = refunds.write(connection, winners);
        RefundRepository.Links linked = refunds.linkRefunds(connection, ids);
        rollups.refunds(connection, linked.refundIds(), 1);
        for (int i = 0; i < ids.size(); i++) {
            links.add(new Lineage("refund", ids.get(i), winners.get(i).rawEventId()));
        }
        return new HashSet<>(linked.saleIds());
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
