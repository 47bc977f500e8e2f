package dev.levain.normalize.mapping;

import dev.levain.normalize.config.NormalizeConfig;
import dev.levain.normalize.service.RawEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Hand-made settings, stores and envelopes for mapper unit tests. */
final class MappingFixtures {

    static final Instant RECEIVED_AT = Instant.parse("2026-11-27T07:20:00Z");

    private MappingFixtures() {
    }

    /** One store's settings. */
    record Store(Optional<String> name, Optional<String> timezone, Optional<String> currency,
                 Optional<String> openingHours, Optional<List<String>> aliases) implements NormalizeConfig.StoreSettings {

        static Store of(String timezone, String currency, String... aliases) {
            return new Store(Optional.empty(), Optional.ofNullable(timezone), Optional.ofNullable(currency),
                    Optional.empty(), Optional.of(List.of(aliases)));
        }
    }

    /** The normalizer's settings with the defaults of {@link NormalizeConfig}. */
    record Config(String defaultStoreTimezone, String defaultCurrency, String defaultPhoneRegion, int maxAttempts,
                  Map<String, StoreSettings> stores) implements NormalizeConfig {

        @Override
        public int announcingAtMost() {
            return 6;
        }

        @Override
        public Optional<List<String>> adminTokens() {
            return Optional.empty();
        }
    }

    /**
     * PanPan as configured in production: its 3 stores with their Square location ids and inventory codes as
     * aliases, plus a New York store whose local times are not Paris's.
     */
    static Config panPan() {
        return new Config("Europe/Paris", "EUR", "FR", 5, Map.of(
                "PAR-BASTILLE", Store.of("Europe/Paris", null, "L1BASTILLE"),
                "PAR-MONTMARTRE", Store.of(null, null, "L2MONTMARTRE"),
                "PAR-DELIVERY", Store.of("Europe/Paris", null, "L3DELIVERY"),
                "NYC-SOHO", Store.of("America/New_York", "USD", "LNYSOHO")));
    }

    static Config withPhoneRegion(String region) {
        Config config = panPan();
        return new Config(config.defaultStoreTimezone(), config.defaultCurrency(), region, config.maxAttempts(),
                config.stores());
    }

    static StoreDirectory stores() {
        return new StoreDirectory(StoreCatalog.configured(panPan()));
    }

    static StoreDefaults defaults() {
        return new StoreDefaults(StoreCatalog.configured(panPan()), panPan());
    }

    static RawEnvelope envelope(String type, byte[] payload) {
        return new RawEnvelope("event-1", "levain/test", type, null, RECEIVED_AT, "levain.raw.test", 0, 42L, "key",
                Map.of(), payload);
    }

    static RawEnvelope envelope(String type, String payload) {
        return envelope(type, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** A test resource under {@code mapping/}. */
    static byte[] resource(String name) {
        try (InputStream in = MappingFixtures.class.getResourceAsStream("/mapping/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No test resource mapping/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
