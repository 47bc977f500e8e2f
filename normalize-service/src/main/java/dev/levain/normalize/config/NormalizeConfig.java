package dev.levain.normalize.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings of the normalizer. */
@ConfigMapping(prefix = "levain.normalize")
public interface NormalizeConfig {

    /** IANA time zone given to a store first seen in a sale, until store master data says otherwise. */
    @WithDefault("Europe/Paris")
    String defaultStoreTimezone();

    /** Currency of sales that do not name one. */
    @WithDefault("EUR")
    String defaultCurrency();

    /** Region used to read phone numbers written without a country code, to store them as E.164. */
    @WithDefault("FR")
    String defaultPhoneRegion();

    /** Attempts at a raw event that fails the same way each time, before it is rejected (outages are retried without limit). */
    @WithDefault("5")
    int maxAttempts();

    /**
     * Batches whose announcements may wait for the broker at once (all workers together); the next
     * batch waits for one of them, so memory stays bounded while the broker is away.
     */
    @WithDefault("6")
    int announcingAtMost();

    /** Bearer tokens of the admin API (replay, lineage); none configured refuses every admin call. */
    Optional<List<String>> adminTokens();

    /** Store master data by store code ({@code levain.normalize.stores."PAR-BASTILLE".timezone=Europe/Paris}). */
    Map<String, StoreSettings> stores();

    /** One store's master data; what is absent keeps the defaults. */
    interface StoreSettings {

        /** Display name. */
        Optional<String> name();

        /** IANA time zone its business days are counted in. */
        Optional<String> timezone();

        /** ISO-4217 currency. */
        Optional<String> currency();

        /** Opening hours as JSON: {@code {"mon":[["07:00","19:30"]],...,"sun":[]}}, local times. */
        Optional<String> openingHours();

        /** Other systems' ids for this store (a Square location id, an inventory location code). */
        Optional<List<String>> aliases();
    }
}
