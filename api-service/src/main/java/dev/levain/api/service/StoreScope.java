package dev.levain.api.service;

import dev.levain.api.repository.StoreRepository;
import dev.levain.api.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Turns the {@code store} parameter into the stores a caller asked for and may see. */
@ApplicationScoped
public class StoreScope {

    private final StoreRepository stores;

    public StoreScope(StoreRepository stores) {
        this.stores = stores;
    }

    /**
     * The stores named in {@code requested} (repeated or comma-separated codes, any case), or all the
     * caller may see when none is named; 404 for an unknown code, 403 for a store outside a viewer's limit.
     */
    public List<Store> resolve(Collection<String> requested, Caller caller) {
        Set<String> codes = codes(requested);
        Optional<Set<String>> limit = caller.storeLimit();
        if (codes.isEmpty()) {
            if (limit.isPresent() && !limit.get().stream().allMatch(code -> find(code).isPresent())) {
                // A store named in the token may be newer than the kept list.
                stores.forget();
            }
            return stores.all().stream().filter(store -> limit.map(l -> l.contains(store.code())).orElse(true)).toList();
        }
        List<Store> chosen = new ArrayList<>();
        for (String code : codes) {
            if (limit.isPresent() && !limit.get().contains(code)) {
                // Before the lookup: a limited viewer must not tell existing stores from unknown codes.
                throw new ForbiddenStoreException(code);
            }
            Store store = find(code).or(() -> {
                stores.forget();
                return find(code);
            }).orElseThrow(() -> new UnknownStoreException(code));
            chosen.add(store);
        }
        return chosen;
    }

    private Optional<Store> find(String code) {
        return stores.all().stream().filter(s -> s.code().equals(code)).findFirst();
    }

    /** One store, checked like {@link #resolve}. */
    public Store one(String code, Caller caller) {
        return resolve(List.of(code), caller).get(0);
    }

    private static Set<String> codes(Collection<String> requested) {
        Set<String> codes = new LinkedHashSet<>();
        if (requested != null) {
            for (String value : requested) {
                for (String code : value.split(",")) {
                    if (!code.isBlank()) {
                        codes.add(code.trim().toUpperCase(Locale.ROOT));
                    }
                }
            }
        }
        return codes;
    }
}
