package dev.levain.api.repository;

import dev.levain.api.service.Store;
import io.agroal.api.AgroalDataSource;
import io.quarkus.cache.CacheInvalidateAll;
import io.quarkus.cache.CacheResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Reads the stores from {@code core}; kept a few seconds, since every KPI request needs them. */
@ApplicationScoped
public class StoreRepository {

    private final AgroalDataSource dataSource;

    public StoreRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Forgets the kept stores, so that the next read sees a store the normalizer just created. */
    @CacheInvalidateAll(cacheName = "stores")
    public void forget() {
        // The annotation does the work.
    }

    @CacheResult(cacheName = "stores")
    public List<Store> all() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT id, code, name, timezone, currency FROM core.store ORDER BY code");
             ResultSet rows = query.executeQuery()) {
            List<Store> stores = new ArrayList<>();
            while (rows.next()) {
                stores.add(new Store(rows.getLong(1), rows.getString(2), rows.getString(3),
                        ZoneId.of(rows.getString(4)), rows.getString(5).trim()));
            }
            return List.copyOf(stores);
        } catch (SQLException e) {
            throw ReadFailures.of("Cannot read stores", e);
        }
    }
}
