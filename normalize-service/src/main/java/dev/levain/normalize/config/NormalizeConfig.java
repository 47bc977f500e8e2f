package dev.levain.normalize.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the normalizer. */
@ConfigMapping(prefix = "levain.normalize")
public interface NormalizeConfig {

    /** IANA time zone given to a store first seen in a sale, until store master data says otherwise. */
    @WithDefault("Europe/Paris")
    String defaultStoreTimezone();

    /** Currency of sales that do not name one. */
    @WithDefault("EUR")
    String defaultCurrency();

    /** Attempts at a raw event that fails the same way each time, before it is rejected (outages are retried without limit). */
    @WithDefault("5")
    int maxAttempts();
}
