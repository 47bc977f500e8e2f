package dev.levain.api.service;

import dev.levain.api.messaging.PipelineBacklog;
import dev.levain.api.repository.FreshnessRepository;
import io.quarkus.cache.CacheResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Tells every KPI response how current the model is; read at most once a second (cache "freshness"). */
@ApplicationScoped
public class FreshnessService {

    private final FreshnessRepository repository;
    private final PipelineBacklog backlog;

    public FreshnessService(FreshnessRepository repository, PipelineBacklog backlog) {
        this.repository = repository;
        this.backlog = backlog;
    }

    @CacheResult(cacheName = "freshness")
    public Freshness current() {
        Optional<FreshnessRepository.Newest> newest = repository.newest();
        Optional<Long> pending = backlog.pendingEvents();
        Long lag = pending.map(count -> count == 0 || newest.isEmpty() ? 0L
                : Math.max(0, Duration.between(newest.get().receivedAt(), Instant.now()).toSeconds())).orElse(null);
        return new Freshness(newest.map(FreshnessRepository.Newest::receivedAt).orElse(null),
                newest.map(FreshnessRepository.Newest::landedAt).orElse(null), pending.orElse(null), lag);
    }
}
