package dev.levain.normalize.repository;

import dev.levain.normalize.mapping.CanonicalCustomer;
import dev.levain.normalize.service.ContentionException;
import dev.levain.normalize.service.Sourced;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code core.customer} and {@code core.customer_identity}: identity resolution. Everything that
 * identifies a person — a source's customer id, an e-mail, a phone — is an identity; a person
 * seen with identities of two customers merges them into the older one, which takes over the
 * other's identities and sales (the other stays, pointing to it through {@code merged_into}).
 */
@ApplicationScoped
public class CustomerRepository {

    /** One identity: ({@code email}, address), ({@code phone}, E.164) or a source's own id. */
    public record Identity(String source, String sourceId) {
    }

    /** Someone to resolve to a customer: their identities and what else is known of them. */
    public record Subject(List<Identity> identities, String email, String phone, String name) {
    }

    /** The customer of each subject (in input order), and the customers whose sales moved in a merge. */
    public record Resolution(List<Long> customerIds, Set<Long> merged) {
    }

    // The customers of a merge (those merged away and the one they merge into) are locked
    // exclusively: the merge recounts their rollups from their sales, which no other batch may be
    // changing meanwhile. A customer a sale or contact only joins is key-share locked, which other
    // batches of the same customer share, and which holds off a merge of it until this transaction
    // ends. Rows in id order, so two batches never lock crosswise.
    private static final String LOCK_MERGED = """
            SELECT id, merged_into FROM core.customer WHERE id = ANY (?) ORDER BY id FOR UPDATE""";
    private static final String LOCK_JOINED = """
            SELECT id, merged_into FROM core.customer WHERE id = ANY (?) ORDER BY id FOR KEY SHARE""";
    private static final String FIND = """
            SELECT i.source, i.source_id, i.customer_id FROM core.customer_identity i
            JOIN unnest(?::text[], ?::text[]) AS t(source, source_id) ON (i.source, i.source_id) = (t.source, t.source_id)""";
    private static final String NEW_IDS = "SELECT nextval('core.customer_seq') FROM generate_series(1, ?)";
    private static final String CREATE = """
            INSERT INTO core.customer (id, email, phone, name)
            SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[])""";
    private static final String LINK = """
            INSERT INTO core.customer_identity (source, source_id, customer_id)
            SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[]) ORDER BY 1, 2
            ON CONFLICT (source, source_id) DO NOTHING""";
    private static final String FILL = """
            UPDATE core.customer c SET email = coalesce(c.email, t.email), phone = coalesce(c.phone, t.phone),
                                       name = coalesce(c.name, t.name), updated_at = now()
            FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[]) AS t(id, email, phone, name)
            WHERE c.id = t.id AND ((c.email IS NULL AND t.email IS NOT NULL) OR (c.phone IS NULL AND t.phone IS NOT NULL)
                                   OR (c.name IS NULL AND t.name IS NOT NULL))""";
    private static final String[] MERGE = {
        "UPDATE core.customer_identity SET customer_id = ? WHERE customer_id = ?",
        "UPDATE core.sale SET customer_id = ? WHERE customer_id = ?",
        """
        UPDATE core.customer c SET email = coalesce(c.email, m.email), phone = coalesce(c.phone, m.phone),
                                   name = coalesce(c.name, m.name), updated_at = now()
        FROM core.customer m WHERE c.id = ? AND m.id = ?""",
        "UPDATE core.customer SET merged_into = ?, first_sale_at = NULL, first_business_date = NULL, first_store_id = NULL, updated_at = now() WHERE id = ?",
        "UPDATE core.customer SET merged_into = ? WHERE merged_into = ?",
    };
    private static final String CRM_UPDATE = """
            UPDATE core.customer c SET email = coalesce(t.email, c.email), phone = coalesce(t.phone, c.phone),
                                       name = coalesce(t.name, c.name),
                                       marketing_opt_in = coalesce(t.opt_in, c.marketing_opt_in),
                                       version = t.version, received_at = t.received_at::timestamptz, updated_at = now()
            FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::bool[], ?::bigint[], ?::text[], ?::bigint[])
                 AS t(id, email, phone, name, opt_in, version, received_at, raw_event_id)
            WHERE c.id = t.id AND (c.received_at IS NULL
                                   OR (c.version, c.received_at) %s (t.version, t.received_at::timestamptz))
            RETURNING c.id, t.raw_event_id""";

    /**
     * Resolves each subject to one customer, creating and merging customers as identities demand.
     * Batches run side by side: the customers found are locked (see {@link #LOCK_JOINED}) and
     * checked still current, and a new identity that another batch linked meanwhile makes this
     * one start again ({@link ContentionException}), so one person never becomes two customers.
     */
    public Resolution resolve(Connection connection, List<Subject> subjects) throws SQLException {
        if (subjects.isEmpty()) {
            return new Resolution(List.of(), Set.of());
        }
        Map<Identity, Long> stored = find(connection, subjects);
        Map<Identity, Long> owners = new HashMap<>(stored);
        Map<Long, Long> mergedInto = new HashMap<>();
        Map<Long, Subject> created = new LinkedHashMap<>();
        Map<Identity, Long> links = new LinkedHashMap<>();
        List<Long> assigned = new ArrayList<>();
        java.util.Iterator<Long> newIds = null;
        for (Subject subject : subjects) {
            TreeSet<Long> found = new TreeSet<>();
            subject.identities().stream().map(owners::get).filter(Objects::nonNull)
                    .forEach(id -> found.add(root(mergedInto, id)));
            long id;
            if (found.isEmpty()) {
                if (newIds == null || !newIds.hasNext()) {
                    newIds = newIds(connection, subjects.size()).iterator();
                }
                id = newIds.next();
                created.put(id, subject);
            } else {
                id = found.first();
                found.tailSet(id, false).forEach(other -> mergedInto.put(other, id));
            }
            for (Identity identity : subject.identities()) {
                if (!Objects.equals(owners.put(identity, id), id)) {
                    links.put(identity, id);
                }
            }
            assigned.add(id);
        }
        List<Long> customerIds = assigned.stream().map(id -> root(mergedInto, id)).toList();
        links.replaceAll((identity, id) -> root(mergedInto, id));
        Set<Long> merging = new TreeSet<>(mergedInto.keySet());
        mergedInto.values().forEach(into -> merging.add(root(mergedInto, into)));
        lockFound(connection, new TreeSet<>(stored.values()), merging);
        // Identities already stored move with their customer's merge; only new ones are linked here.
        links.keySet().removeAll(stored.keySet());
        create(connection, created);
        link(connection, links);
        for (Map.Entry<Long, Long> merge : mergedInto.entrySet()) {
            merge(connection, merge.getKey(), root(mergedInto, merge.getValue()));
        }
        fill(connection, subjects, customerIds);
        Set<Long> merged = new TreeSet<>(mergedInto.keySet());
        mergedInto.values().forEach(into -> merged.add(root(mergedInto, into)));
        return new Resolution(customerIds, merged);
    }

    /** Applies CRM records (newest per customer) over the stored attributes; returns the lineage of those applied. */
    public List<Lineage> updateFromCrm(Connection connection, Collection<Sourced<CanonicalCustomer>> customers,
                                       List<Long> customerIds, boolean replay) throws SQLException {
        Map<Long, Sourced<CanonicalCustomer>> newest = new LinkedHashMap<>();
        int i = 0;
        for (Sourced<CanonicalCustomer> customer : customers) {
            newest.merge(customerIds.get(i++), customer, (a, b) -> newer(a.record(), b.record()) ? a : b);
        }
        if (newest.isEmpty()) {
            return List.of();
        }
        List<Map.Entry<Long, Sourced<CanonicalCustomer>>> rows = new ArrayList<>(newest.entrySet());
        List<Lineage> lineage = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement(CRM_UPDATE.formatted(replay ? "<=" : "<"))) {
            update.setArray(1, Arrays.bigint(connection, rows, Map.Entry::getKey));
            update.setArray(2, Arrays.text(connection, rows, r -> r.getValue().record().email()));
            update.setArray(3, Arrays.text(connection, rows, r -> r.getValue().record().phone()));
            update.setArray(4, Arrays.text(connection, rows, r -> r.getValue().record().name()));
            update.setArray(5, Arrays.bool(connection, rows, r -> r.getValue().record().marketingOptIn()));
            update.setArray(6, Arrays.bigint(connection, rows, r -> r.getValue().record().version()));
            update.setArray(7, Arrays.text(connection, rows, r -> Arrays.iso(r.getValue().record().receivedAt())));
            update.setArray(8, Arrays.bigint(connection, rows, r -> r.getValue().rawEventId()));
            try (ResultSet updated = update.executeQuery()) {
                while (updated.next()) {
                    lineage.add(new Lineage("customer", updated.getLong(1), updated.getLong(2)));
                }
            }
        }
        return lineage;
    }

    private static boolean newer(CanonicalCustomer a, CanonicalCustomer b) {
        int byVersion = Long.compare(a.version(), b.version());
        return byVersion != 0 ? byVersion > 0 : a.receivedAt().compareTo(b.receivedAt()) >= 0;
    }

    private static long root(Map<Long, Long> mergedInto, long id) {
        Long next = mergedInto.get(id);
        return next == null ? id : root(mergedInto, next);
    }

    private static Map<Identity, Long> find(Connection connection, List<Subject> subjects) throws SQLException {
        List<Identity> identities = subjects.stream().flatMap(s -> s.identities().stream()).distinct().toList();
        Map<Identity, Long> owners = new HashMap<>();
        try (PreparedStatement find = connection.prepareStatement(FIND)) {
            find.setArray(1, Arrays.text(connection, identities, Identity::source));
            find.setArray(2, Arrays.text(connection, identities, Identity::sourceId));
            try (ResultSet rows = find.executeQuery()) {
                while (rows.next()) {
                    owners.put(new Identity(rows.getString(1), rows.getString(2)), rows.getLong(3));
                }
            }
        }
        return owners;
    }

    private static List<Long> newIds(Connection connection, int count) throws SQLException {
        List<Long> ids = new ArrayList<>(count);
        try (PreparedStatement next = connection.prepareStatement(NEW_IDS)) {
            next.setInt(1, count);
            try (ResultSet rows = next.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
        }
        return ids;
    }

    private static void create(Connection connection, Map<Long, Subject> created) throws SQLException {
        if (created.isEmpty()) {
            return;
        }
        List<Map.Entry<Long, Subject>> rows = new ArrayList<>(created.entrySet());
        try (PreparedStatement insert = connection.prepareStatement(CREATE)) {
            insert.setArray(1, Arrays.bigint(connection, rows, Map.Entry::getKey));
            insert.setArray(2, Arrays.text(connection, rows, r -> r.getValue().email()));
            insert.setArray(3, Arrays.text(connection, rows, r -> r.getValue().phone()));
            insert.setArray(4, Arrays.text(connection, rows, r -> r.getValue().name()));
            insert.executeUpdate();
        }
    }

    private static void link(Connection connection, Map<Identity, Long> links) throws SQLException {
        if (links.isEmpty()) {
            return;
        }
        List<Map.Entry<Identity, Long>> rows = new ArrayList<>(links.entrySet());
        try (PreparedStatement insert = connection.prepareStatement(LINK)) {
            insert.setArray(1, Arrays.text(connection, rows, r -> r.getKey().source()));
            insert.setArray(2, Arrays.text(connection, rows, r -> r.getKey().sourceId()));
            insert.setArray(3, Arrays.bigint(connection, rows, Map.Entry::getValue));
            int linked = insert.executeUpdate();
            if (linked != rows.size()) {
                throw new ContentionException((rows.size() - linked) + " new customer identities were linked by "
                        + "another transaction meanwhile");
            }
        }
    }

    /**
     * Locks, shared, the customers of sales this batch changes that it did not resolve (a replaced
     * sale's former buyer), so that no merge recounts them meanwhile. One that another batch merged
     * away since it was read makes this batch start again.
     */
    public void lockJoined(Connection connection, Set<Long> customerIds) throws SQLException {
        lock(connection, LOCK_JOINED, new TreeSet<>(customerIds));
    }

    /**
     * Locks the stored customers this batch relies on: exclusively those its merges touch, shared
     * the others. One that another batch merged away since it was read makes this batch start again.
     */
    private static void lockFound(Connection connection, Set<Long> found, Set<Long> merging) throws SQLException {
        Set<Long> merged = new TreeSet<>(merging);
        merged.retainAll(found);
        Set<Long> joined = new TreeSet<>(found);
        joined.removeAll(merged);
        lock(connection, LOCK_MERGED, merged);
        lock(connection, LOCK_JOINED, joined);
    }

    private static void lock(Connection connection, String sql, Set<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement lock = connection.prepareStatement(sql)) {
            lock.setArray(1, Arrays.ids(connection, ids));
            try (ResultSet rows = lock.executeQuery()) {
                while (rows.next()) {
                    if (rows.getObject(2) != null) {
                        throw new ContentionException("customer " + rows.getLong(1) + " was merged by another transaction");
                    }
                }
            }
        }
    }

    private static void merge(Connection connection, long from, long into) throws SQLException {
        for (String statement : MERGE) {
            try (PreparedStatement merge = connection.prepareStatement(statement)) {
                merge.setLong(1, into);
                merge.setLong(2, from);
                merge.executeUpdate();
            }
        }
    }

    private static void fill(Connection connection, List<Subject> subjects, List<Long> customerIds) throws SQLException {
        List<Integer> indexes = java.util.stream.IntStream.range(0, subjects.size()).boxed().toList();
        try (PreparedStatement fill = connection.prepareStatement(FILL)) {
            fill.setArray(1, Arrays.bigint(connection, indexes, customerIds::get));
            fill.setArray(2, Arrays.text(connection, indexes, i -> subjects.get(i).email()));
            fill.setArray(3, Arrays.text(connection, indexes, i -> subjects.get(i).phone()));
            fill.setArray(4, Arrays.text(connection, indexes, i -> subjects.get(i).name()));
            fill.executeUpdate();
        }
    }
}
