package dev.levain.normalize.mapping;

import jakarta.enterprise.context.ApplicationScoped;

/** Which store a source's location id means: a store's alias, else the id itself as a store code. */
@ApplicationScoped
public class StoreDirectory {

    private final StoreCatalog catalog;

    public StoreDirectory(StoreCatalog catalog) {
        this.catalog = catalog;
    }

    /** The store code for {@code location} (trimmed, upper-cased, aliases resolved). */
    public String storeCode(String location) {
        String normalized = StoreCatalog.code(location);
        return catalog.current().codesByAlias().getOrDefault(normalized, normalized);
    }
}
