package dev.levain.normalize.mapping;

import dev.levain.normalize.config.NormalizeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Which store a source's location id means: a configured alias, else the id itself as a store code. */
@ApplicationScoped
public class StoreDirectory {

    private final Map<String, String> codesByAlias;

    public StoreDirectory(NormalizeConfig config) {
        Map<String, String> aliases = new HashMap<>();
        config.stores().forEach((code, store) -> store.aliases().ifPresent(ids -> ids.forEach(
                id -> aliases.put(normalize(id), normalize(code)))));
        this.codesByAlias = Map.copyOf(aliases);
    }

    /** The store code for {@code location} (trimmed, upper-cased, aliases resolved). */
    public String storeCode(String location) {
        String normalized = normalize(location);
        return codesByAlias.getOrDefault(normalized, normalized);
    }

    private static String normalize(String code) {
        return code.trim().toUpperCase(Locale.ROOT);
    }
}
