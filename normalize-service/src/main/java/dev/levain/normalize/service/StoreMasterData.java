package dev.levain.normalize.service;

import dev.levain.normalize.config.NormalizeConfig;
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
import java.util.Locale;

/** Writes the configured stores (name, time zone, currency, opening hours) at start-up. */
@ApplicationScoped
public class StoreMasterData {

    private final NormalizeConfig config;
    private final StoreRepository stores;
    private final AgroalDataSource dataSource;

    public StoreMasterData(NormalizeConfig config, StoreRepository stores, AgroalDataSource dataSource) {
        this.config = config;
        this.stores = stores;
        this.dataSource = dataSource;
    }

    void onStart(@Observes StartupEvent start) throws SQLException {
        List<MasterData> data = new ArrayList<>();
        config.stores().forEach((code, store) -> {
            store.timezone().ifPresent(ZoneId::of);
            data.add(new MasterData(code.trim().toUpperCase(Locale.ROOT), store.name().orElse(null),
                    store.timezone().orElse(null), store.currency().orElse(null), store.openingHours().orElse(null)));
        });
        if (data.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            stores.apply(connection, data, ZoneId.of(config.defaultStoreTimezone()), config.defaultCurrency());
        }
    }
}
