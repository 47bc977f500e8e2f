package dev.levain.api.service;

import dev.levain.api.messaging.PipelineBacklog;
import dev.levain.api.repository.FreshnessRepository;
import dev.levain.api.security.Caller;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Tells every KPI response how current the figures its caller may see are: the whole pipeline's newest event for
 * a caller who sees every store, its own stores' newest for a viewer limited to some (when another store last sold
 * is none of its business, DESIGN.md §5). Read at most once a second per set of stores (cache "freshness").
 */
@ApplicationScoped
public class FreshnessService {

    private final FreshnessRepository repository;
    private final PipelineBacklog backlog;
    private final Cache cache;

    public FreshnessService(FreshnessRepository repository, PipelineBacklog backlog,
                            @CacheName("freshness") Cache cache) {
        this.repository = repository;
        this.backlog = backlog;
        this.cache = cache;
    }

    public Freshness current(Caller caller) {
        // Kept per store limit (empty: every store); @CacheResult could not key on the request's caller.
        Optional<Set<String>> stores = caller.storeLimit().map(Set::copyOf);
        return cache.get(stores, this::read).await().indefinitely();
    }

    private Freshness read(Optional<Set<String>> stores) {
        Optional<FreshnessRepository.Newest> newest = stores.isPresent() ? repository.newestOf(stores.get())
                : repository.newest();
        // The backlog is the broker's and spans every store (partitions are keyed by entity, not by store); the lag
        // is measured from the newest event the caller may know of, so it never dates another store's.
        Optional<Long> pending = backlog.pendingEvents();
        Long lag = pending.map(count -> count == 0 || newest.isEmpty() ? 0L
                : Math.max(0, Duration.between(newest.get().receivedAt(), Instant.now()).toSeconds())).orElse(null);
        return new Freshness(newest.map(FreshnessRepository.Newest::receivedAt).orElse(null),
                newest.map(FreshnessRepository.Newest::landedAt).orElse(null), pending.orElse(null), lag);
    }
}
