package dev.levain.normalize.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/** {@code core.store}. */
@ApplicationScoped
public class StoreRepository {

    private static final Logger LOG = Logger.getLogger(StoreRepository.class);

    /** A store as the normalizer needs it: its id and the zone its business days are counted in. */
    public record StoreRef(long id, String code, ZoneId timezone) {
    }

    /** Master data of one store; null fields keep what is stored (at start-up), aliases null keeps them too. */
    public record MasterData(String code, String name, String timezone, String currency, String openingHours,
                             List<String> aliases) {
    }

    /**
     * A store as an admin sees and edits it; {@code hasSales}: sales, refunds or stock days were counted in its zone
     * and currency, which are then fixed.
     */
    public record StoreRecord(String code, String name, String timezone, String currency, String openingHours,
                              List<String> aliases, Instant editedAt, boolean hasSales) {
    }

    // DO NOTHING, then a read: rewriting a store's row for each of its sales would serialize every
    // sale of the store on that row's lock.
    private static final String ENSURE = """
            INSERT INTO core.store (code, name, timezone, currency)
            SELECT c, c, ?, ? FROM unnest(?::text[]) AS c ORDER BY c
            ON CONFLICT (code) DO NOTHING""";
    private static final String FIND = "SELECT id, code, timezone FROM core.store WHERE code = ANY (?)";
    // Configuration seeds: a store an admin edited keeps its edit.
    private static final String MASTER_DATA = """
            INSERT INTO core.store AS s (code, name, timezone, currency, opening_hours)
            VALUES (?, coalesce(?, ?), coalesce(?, ?), coalesce(?, ?), ?::jsonb)
            ON CONFLICT (code) DO UPDATE SET
                name = coalesce(?, s.name), timezone = coalesce(?, s.timezone), currency = coalesce(?, s.currency),
                opening_hours = coalesce(EXCLUDED.opening_hours, s.opening_hours)
            WHERE s.edited_at IS NULL""";
    // Every store's aliases left out first, then the new ones added: an alias moved from one store to another in
    // the configuration is free when the other takes it, whatever the order of the stores.
    private static final String SEED_DROP_ALIASES = """
            DELETE FROM core.store_alias WHERE alias <> ALL (?)
              AND store_id = (SELECT id FROM core.store WHERE code = ? AND edited_at IS NULL)""";
    private static final String SEED_ADD_ALIASES = """
            INSERT INTO core.store_alias (alias, store_id)
            SELECT a, s.id FROM core.store s, unnest(?::text[]) AS a WHERE s.code = ? AND s.edited_at IS NULL
            ON CONFLICT (alias) DO NOTHING""";
    private static final String BUMP = "UPDATE core.store_catalog SET version = version + 1";
    private static final String LIST = """
            SELECT s.code, s.name, s.timezone, s.currency, s.opening_hours::text,
                   coalesce((SELECT array_agg(a.alias ORDER BY a.alias) FROM core.store_alias a WHERE a.store_id = s.id),
                            '{}'),
                   s.edited_at,
                   EXISTS (SELECT 1 FROM core.sale x WHERE x.store_id = s.id)
                       OR EXISTS (SELECT 1 FROM core.refund x WHERE x.store_id = s.id)
                       OR EXISTS (SELECT 1 FROM core.daily_inventory x WHERE x.store_id = s.id)
            FROM core.store s""";

    /** The stores with these codes, created with the defaults where new. */
    public Map<String, StoreRef> ensure(Connection connection, Collection<String> codes, ZoneId defaultZone,
                                        String defaultCurrency) throws SQLException {
        if (codes.isEmpty()) {
            return Map.of();
        }
        try (PreparedStatement ensure = connection.prepareStatement(ENSURE)) {
            ensure.setString(1, defaultZone.getId());
            ensure.setString(2, defaultCurrency);
            ensure.setArray(3, connection.createArrayOf("text", codes.toArray()));
            ensure.executeUpdate();
        }
        Map<String, StoreRef> stores = new HashMap<>();
        try (PreparedStatement find = connection.prepareStatement(FIND)) {
            find.setArray(1, connection.createArrayOf("text", codes.toArray()));
            try (ResultSet rows = find.executeQuery()) {
                while (rows.next()) {
                    stores.put(rows.getString(2), new StoreRef(rows.getLong(1), rows.getString(2), ZoneId.of(rows.getString(3))));
                }
            }
        }
        return stores;
    }

    /**
     * Writes configured master data over what sales created with defaults, for the stores no admin edited
     * (their aliases too, when configured), and tells every replica's catalog.
     */
    public void seed(Connection connection, List<MasterData> stores, ZoneId defaultZone, String defaultCurrency)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(MASTER_DATA);
             PreparedStatement drop = connection.prepareStatement(SEED_DROP_ALIASES);
             PreparedStatement add = connection.prepareStatement(SEED_ADD_ALIASES);
             PreparedStatement bump = connection.prepareStatement(BUMP)) {
            for (MasterData store : stores) {
                upsert.setString(1, store.code());
                upsert.setString(2, store.name());
                upsert.setString(3, store.code());
                upsert.setString(4, store.timezone());
                upsert.setString(5, defaultZone.getId());
                upsert.setString(6, store.currency());
                upsert.setString(7, defaultCurrency);
                upsert.setString(8, store.openingHours());
                upsert.setString(9, store.name());
                upsert.setString(10, store.timezone());
                upsert.setString(11, store.currency());
                upsert.addBatch();
            }
            upsert.executeBatch();
            List<MasterData> withAliases = stores.stream().filter(store -> store.aliases() != null).toList();
            for (MasterData store : withAliases) {
                drop.setArray(1, connection.createArrayOf("text", store.aliases().toArray()));
                drop.setString(2, store.code());
                drop.executeUpdate();
            }
            for (MasterData store : withAliases) {
                add.setArray(1, connection.createArrayOf("text", store.aliases().toArray()));
                add.setString(2, store.code());
                add.executeUpdate();
                for (String alias : store.aliases()) {
                    Optional<String> holder = storeWithAlias(connection, alias);
                    if (holder.isPresent() && !holder.get().equals(store.code())) {
                        LOG.warnf("Configured alias %s of store %s is store %s's (an admin gave it there): kept there",
                                alias, store.code(), holder.get());
                    }
                }
            }
            bump.executeUpdate();
        }
    }

    /** Every store, by code. */
    public List<StoreRecord> list(Connection connection) throws SQLException {
        return read(connection, LIST + " ORDER BY s.code", null);
    }

    /** The store {@code code}, if there is one. */
    public Optional<StoreRecord> find(Connection connection, String code) throws SQLException {
        return read(connection, LIST + " WHERE s.code = ?", code).stream().findFirst();
    }

    /** The store {@code code} locked until the transaction ends (an admin's edit), if there is one. */
    public Optional<StoreRecord> lock(Connection connection, String code) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT 1 FROM core.store WHERE code = ? FOR UPDATE")) {
            lock.setString(1, code);
            lock.executeQuery().close();
        }
        return find(connection, code);
    }

    /** The code of the store that has {@code alias}, if one has. */
    public Optional<String> storeWithAlias(Connection connection, String alias) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT s.code FROM core.store_alias a JOIN core.store s ON s.id = a.store_id WHERE a.alias = ?")) {
            select.setString(1, alias);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        }
    }

    /** Writes an admin's edit of a store (created when new), its aliases replaced, and tells every replica's catalog. */
    public void save(Connection connection, MasterData store) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO core.store AS s (code, name, timezone, currency, opening_hours, edited_at)
                VALUES (?, ?, ?, ?, ?::jsonb, now())
                ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, timezone = EXCLUDED.timezone,
                    currency = EXCLUDED.currency, opening_hours = EXCLUDED.opening_hours, edited_at = now()""");
             PreparedStatement drop = connection.prepareStatement(
                     "DELETE FROM core.store_alias WHERE store_id = (SELECT id FROM core.store WHERE code = ?)");
             // No ON CONFLICT: an alias another store holds is refused (the caller checked; a race ends here).
             PreparedStatement aliases = connection.prepareStatement("""
                     INSERT INTO core.store_alias (alias, store_id)
                     SELECT a, (SELECT id FROM core.store WHERE code = ?) FROM unnest(?::text[]) AS a""");
             PreparedStatement bump = connection.prepareStatement(BUMP)) {
            upsert.setString(1, store.code());
            upsert.setString(2, store.name());
            upsert.setString(3, store.timezone());
            upsert.setString(4, store.currency());
            upsert.setString(5, store.openingHours());
            upsert.executeUpdate();
            drop.setString(1, store.code());
            drop.executeUpdate();
            aliases.setString(1, store.code());
            aliases.setArray(2, connection.createArrayOf("text", store.aliases().toArray()));
            aliases.executeUpdate();
            bump.executeUpdate();
        }
    }

    private static List<StoreRecord> read(Connection connection, String sql, String code) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            if (code != null) {
                select.setString(1, code);
            }
            try (ResultSet rows = select.executeQuery()) {
                List<StoreRecord> stores = new ArrayList<>();
                while (rows.next()) {
                    Timestamp edited = rows.getTimestamp(7);
                    stores.add(new StoreRecord(rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getString(4).trim(), rows.getString(5), List.of((String[]) rows.getArray(6).getArray()),
                            edited == null ? null : edited.toInstant(), rows.getBoolean(8)));
                }
                return stores;
            }
        }
    }
}
