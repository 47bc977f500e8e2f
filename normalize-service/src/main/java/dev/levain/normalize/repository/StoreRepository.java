package dev.levain.normalize.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;

/** {@code core.store}. */
@ApplicationScoped
public class StoreRepository {

    /** A store as the normalizer needs it: its id and the zone its business days are counted in. */
    public record StoreRef(long id, String code, ZoneId timezone) {
    }

    // DO NOTHING, then a separate read: rewriting a store's row for each of its sales would
    // serialize every sale of the store on that row's lock.
    private static final String INSERT = """
            INSERT INTO core.store (code, name, timezone, currency) VALUES (?, ?, ?, ?)
            ON CONFLICT (code) DO NOTHING
            RETURNING id, timezone""";
    private static final String FIND = "SELECT id, timezone FROM core.store WHERE code = ?";

    private final AgroalDataSource dataSource;

    public StoreRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The store with {@code code}, created with the given defaults if it is new. */
    public StoreRef ensure(String code, ZoneId defaultZone, String defaultCurrency) {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement find = connection.prepareStatement(FIND)) {
                find.setString(1, code);
                try (ResultSet rows = find.executeQuery()) {
                    if (rows.next()) {
                        return new StoreRef(rows.getLong(1), code, ZoneId.of(rows.getString(2)));
                    }
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setString(1, code);
                insert.setString(2, code);
                insert.setString(3, defaultZone.getId());
                insert.setString(4, defaultCurrency);
                try (ResultSet rows = insert.executeQuery()) {
                    if (rows.next()) {
                        return new StoreRef(rows.getLong(1), code, ZoneId.of(rows.getString(2)));
                    }
                }
            }
            // Another consumer created it between our read and our insert; the retry will read it.
            throw new IllegalStateException("Store " + code + " was created concurrently");
        } catch (SQLException e) {
            throw Jdbc.failure("Cannot upsert store " + code, e);
        }
    }
}
