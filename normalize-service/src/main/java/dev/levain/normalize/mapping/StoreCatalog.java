package dev.levain.normalize.mapping;

import dev.levain.normalize.config.NormalizeConfig;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The stores as the mappers need them (aliases, zone, currency), read from {@code core.store} and
 * {@code core.store_alias}. Every batch begins with {@link #refresh()}: one read of {@code core.store_catalog}'s
 * version, the stores read again only when it moved, so an admin's edit holds for every batch that begins after it
 * on every replica. Before the first read (and in mapping tests, without a database) it holds the configured stores.
 */
@ApplicationScoped
public class StoreCatalog {

    /** A store's zone and currency. */
    public record Store(ZoneId zone, String currency) {
    }

    /** One version of the stores: codes by alias, and each store by code (all upper-cased). */
    public record Snapshot(long version, Map<String, String> codesByAlias, Map<String, Store> stores) {
    }

    /** Below every version the database holds: the first {@link #refresh()} always reads. */
    private static final long UNREAD = -1;

    private final AgroalDataSource dataSource;
    private final ZoneId defaultZone;
    /** The configured stores: under what the database holds, for a store the start-up has not written yet. */
    private final Snapshot configured;
    private volatile Snapshot current;

    @Inject
    public StoreCatalog(NormalizeConfig config, AgroalDataSource dataSource) {
        this.dataSource = dataSource;
        this.defaultZone = ZoneId.of(config.defaultStoreTimezone());
        Map<String, String> aliases = new HashMap<>();
        Map<String, Store> stores = new HashMap<>();
        config.stores().forEach((code, store) -> {
            String key = code(code);
            store.aliases().ifPresent(ids -> ids.forEach(id -> aliases.put(code(id), key)));
            stores.put(key, new Store(zone(store.timezone().orElse(null)), store.currency().orElse(config.defaultCurrency())));
        });
        this.configured = new Snapshot(UNREAD, Map.copyOf(aliases), Map.copyOf(stores));
        this.current = configured;
    }

    /** The configured stores only, never read from a database (mapping tests). */
    public static StoreCatalog configured(NormalizeConfig config) {
        return new StoreCatalog(config, null);
    }

    public Snapshot current() {
        return current;
    }

    /** Reads the stores again if they changed since the last read. */
    public void refresh() {
        if (dataSource == null) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement version = connection.prepareStatement("SELECT version FROM core.store_catalog");
             ResultSet row = version.executeQuery()) {
            long stored = row.next() ? row.getLong(1) : 0;
            if (stored > current.version()) {
                read(connection, stored);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the stores: " + e.getMessage(), e);
        }
    }

    private synchronized void read(Connection connection, long version) throws SQLException {
        if (version <= current.version()) {
            // Another thread read this version, or a later one, meanwhile: versions only move forward.
            return;
        }
        Map<String, Store> written = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT code, timezone, currency FROM core.store");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                written.put(rows.getString(1), new Store(zone(rows.getString(2)), rows.getString(3).trim()));
            }
        }
        // A store the database has is as the database has it, aliases included; a configured one it has not yet
        // (start-up writes it) as configured.
        Map<String, Store> stores = new HashMap<>(configured.stores());
        stores.putAll(written);
        Map<String, String> aliases = new HashMap<>(configured.codesByAlias());
        aliases.values().removeIf(written::containsKey);
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT a.alias, s.code FROM core.store_alias a JOIN core.store s ON s.id = a.store_id");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                aliases.put(rows.getString(1), rows.getString(2));
            }
        }
        // Read after the version: an edit committed in between is read now and again at the next refresh.
        current = new Snapshot(version, Map.copyOf(aliases), Map.copyOf(stores));
    }

    /** Trimmed and upper-cased, as store codes and aliases are kept. */
    public static String code(String code) {
        return code.trim().toUpperCase(Locale.ROOT);
    }

    private ZoneId zone(String id) {
        if (id == null) {
            return defaultZone;
        }
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            // A zone the configuration got wrong falls back to the default rather than rejecting every sale.
            return defaultZone;
        }
    }
}
