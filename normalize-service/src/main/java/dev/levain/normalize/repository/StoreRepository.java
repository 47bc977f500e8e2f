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

    private static final String UPSERT = """
            INSERT INTO core.store (code, name, timezone, currency) VALUES (?, ?, ?, ?)
            ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code
            RETURNING id, timezone""";

    private final AgroalDataSource dataSource;

    public StoreRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The store with {@code code}, created with the given defaults if it is new. */
    public StoreRef ensure(String code, ZoneId defaultZone, String defaultCurrency) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            upsert.setString(1, code);
            upsert.setString(2, code);
            upsert.setString(3, defaultZone.getId());
            upsert.setString(4, defaultCurrency);
            try (ResultSet rows = upsert.executeQuery()) {
                rows.next();
                return new StoreRef(rows.getLong(1), code, ZoneId.of(rows.getString(2)));
            }
        } catch (SQLException e) {
            throw Jdbc.failure("Cannot upsert store " + code, e);
        }
    }
}
