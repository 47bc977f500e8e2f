package dev.levain.normalize.service;

import dev.levain.normalize.config.NormalizeConfig;
import dev.levain.normalize.mapping.StoreCatalog;
import dev.levain.normalize.repository.StoreRepository;
import dev.levain.normalize.repository.StoreRepository.MasterData;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Seeds the configured stores (name, time zone, currency, opening hours, aliases) at start-up; a store an admin
 * edited through the API keeps its edit (DESIGN.md §3).
 */
@ApplicationScoped
public class StoreMasterData {

    private final NormalizeConfig config;
    private final StoreRepository stores;
    private final StoreCatalog catalog;
    private final AgroalDataSource dataSource;

    public StoreMasterData(NormalizeConfig config, StoreRepository stores, StoreCatalog catalog,
                           AgroalDataSource dataSource) {
        this.config = config;
        this.stores = stores;
        this.catalog = catalog;
        this.dataSource = dataSource;
    }

    void onStart(@Observes StartupEvent start) throws SQLException {
        seed();
    }

    /** Writes the configured stores no admin edited. */
    public void seed() throws SQLException {
        List<MasterData> data = new ArrayList<>();
        config.stores().forEach((code, store) -> {
            store.timezone().ifPresent(ZoneId::of);
            data.add(new MasterData(StoreCatalog.code(code), store.name().orElse(null), store.timezone().orElse(null),
                    store.currency().orElse(null), store.openingHours().orElse(null),
                    store.aliases().map(ids -> ids.stream().map(StoreCatalog::code).distinct().toList()).orElse(null)));
        });
        if (data.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                stores.seed(connection, data, ZoneId.of(config.defaultStoreTimezone()), config.defaultCurrency());
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        catalog.refresh();
    }
}
