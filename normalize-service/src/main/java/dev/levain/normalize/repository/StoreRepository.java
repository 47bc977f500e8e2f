package dev.levain.normalize.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code core.store}. */
@ApplicationScoped
public class StoreRepository {

    /** A store as the normalizer needs it: its id and the zone its business days are counted in. */
    public record StoreRef(long id, String code, ZoneId timezone) {
    }

    /** Master data of one store; null fields keep what is stored. */
    public record MasterData(String code, String name, String timezone, String currency, String openingHours) {
    }

    // DO NOTHING, then a read: rewriting a store's row for each of its sales would serialize every
    // sale of the store on that row's lock.
    private static final String ENSURE = """
            INSERT INTO core.store (code, name, timezone, currency)
            SELECT c, c, ?, ? FROM unnest(?::text[]) AS c ORDER BY c
            ON CONFLICT (code) DO NOTHING""";
    private static final String FIND = "SELECT id, code, timezone FROM core.store WHERE code = ANY (?)";
    private static final String MASTER_DATA = """
            INSERT INTO core.store AS s (code, name, timezone, currency, opening_hours)
            VALUES (?, coalesce(?, ?), coalesce(?, ?), coalesce(?, ?), ?::jsonb)
            ON CONFLICT (code) DO UPDATE SET
                name = coalesce(?, s.name), timezone = coalesce(?, s.timezone), currency = coalesce(?, s.currency),
                opening_hours = coalesce(EXCLUDED.opening_hours, s.opening_hours)""";

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

    /** Writes configured master data over what sales created with defaults. */
    public void apply(Connection connection, List<MasterData> stores, ZoneId defaultZone, String defaultCurrency)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(MASTER_DATA)) {
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
        }
    }
}
