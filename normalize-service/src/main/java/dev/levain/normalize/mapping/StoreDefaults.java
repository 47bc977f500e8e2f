package dev.levain.normalize.mapping;

import dev.levain.normalize.config.NormalizeConfig;
import dev.levain.normalize.service.RejectedEventException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneId;

/** A store's time zone and currency from its master data, else the normalizer's defaults. */
@ApplicationScoped
public class StoreDefaults {

    private final StoreCatalog catalog;
    private final ZoneId defaultZone;
    private final String defaultCurrency;

    public StoreDefaults(StoreCatalog catalog, NormalizeConfig config) {
        this.catalog = catalog;
        this.defaultZone = ZoneId.of(config.defaultStoreTimezone());
        this.defaultCurrency = config.defaultCurrency();
    }

    /**
     * The zone local times of {@code storeCode} are written in: the rule ingest applies with its
     * {@code default-timezone}, per store.
     */
    public ZoneId zone(String storeCode) {
        StoreCatalog.Store store = catalog.current().stores().get(storeCode);
        return store == null ? defaultZone : store.zone();
    }

    /** The currency of sales of {@code storeCode} that do not name one. */
    public String currency(String storeCode) {
        StoreCatalog.Store store = catalog.current().stores().get(storeCode);
        return store == null ? defaultCurrency : store.currency();
    }

    /**
     * The currency of a sale of {@code storeCode} that names {@code code} in {@code field} (or none):
     * the store's. A sale in another currency is rejected, never added up with the store's figures
     * (DESIGN.md §3).
     */
    public String saleCurrency(String storeCode, String code, String field) {
        String store = currency(storeCode);
        String named = Money.currency(code, store, field);
        if (!named.equals(store)) {
            throw new RejectedEventException(field + " is " + named + " but store " + storeCode + " sells in " + store
                    + ": a sale is never added up across currencies");
        }
        return named;
    }
}
