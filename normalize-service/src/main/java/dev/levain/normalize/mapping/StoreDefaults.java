package dev.levain.normalize.mapping;

import dev.levain.normalize.config.NormalizeConfig;
import dev.levain.normalize.service.RejectedEventException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** A store's time zone and currency from its configured master data, else the normalizer's defaults. */
@ApplicationScoped
public class StoreDefaults {

    private final Map<String, NormalizeConfig.StoreSettings> stores;
    private final ZoneId defaultZone;
    private final String defaultCurrency;

    public StoreDefaults(NormalizeConfig config) {
        Map<String, NormalizeConfig.StoreSettings> byCode = new HashMap<>();
        config.stores().forEach((code, store) -> byCode.put(code.trim().toUpperCase(Locale.ROOT), store));
        this.stores = Map.copyOf(byCode);
        this.defaultZone = ZoneId.of(config.defaultStoreTimezone());
        this.defaultCurrency = config.defaultCurrency();
    }

    /**
     * The zone local times of {@code storeCode} are written in: the rule ingest applies with its
     * {@code default-timezone}, per store. A misconfigured zone falls back to the default rather than
     * rejecting every sale of that store.
     */
    public ZoneId zone(String storeCode) {
        NormalizeConfig.StoreSettings store = stores.get(storeCode);
        if (store == null || store.timezone().isEmpty()) {
            return defaultZone;
        }
        try {
            return ZoneId.of(store.timezone().get());
        } catch (DateTimeException e) {
            return defaultZone;
        }
    }

    /** The currency of sales of {@code storeCode} that do not name one. */
    public String currency(String storeCode) {
        NormalizeConfig.StoreSettings store = stores.get(storeCode);
        return store == null ? defaultCurrency : store.currency().orElse(defaultCurrency);
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
