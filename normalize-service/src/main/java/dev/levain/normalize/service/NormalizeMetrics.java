package dev.levain.normalize.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * normalize-service's figures at {@code /q/metrics}, per raw topic, counted once a batch's outcome is
 * durable (committed, announced, dead-lettered): batches, records, dead letters, and the delay from
 * ingest's receipt to that moment (the pipeline's freshness). Lag is the Kafka clients' own
 * {@code kafka_consumer_fetch_manager_records_lag_max} (the largest of each consumer's partitions).
 * Admin replays count the events they normalize again, page by page, and how many run.
 */
@ApplicationScoped
public class NormalizeMetrics {

    private static final Duration[] DELAY_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30)};

    private final MeterRegistry registry;
    private final AtomicInteger replaysRunning = new AtomicInteger();

    public NormalizeMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("levain.normalize.replays.running", replaysRunning, AtomicInteger::get)
                .description("Admin replays in progress on this instance").register(registry);
    }

    /** An admin replay starts; {@link #replayEnded} must follow. */
    public void replayStarted() {
        replaysRunning.incrementAndGet();
    }

    public void replayEnded() {
        replaysRunning.decrementAndGet();
    }

    /**
     * A page of a replay of {@code kind} is durable: its events normalized again, {@code rejected} of them
     * still refused. Counted page by page, so a long replay's progress shows while it runs.
     */
    public void replayed(String kind, int events, int rejected) {
        Counter.builder("levain.normalize.replayed").description("Raw events normalized again by admin replays")
                .tag("kind", kind).register(registry).increment(events);
        Counter.builder("levain.normalize.replayed.rejected")
                .description("Raw events an admin replay normalized again and that were refused again")
                .tag("kind", kind).register(registry).increment(rejected);
    }

    /** A batch of {@code raws} from one topic is durable, {@code deadLetters} of them dead-lettered. */
    public void batchDone(List<RawEnvelope> raws, int deadLetters) {
        if (raws.isEmpty()) {
            return;
        }
        String topic = raws.get(0).topic();
        counter("levain.normalize.batches", "Raw batches written", topic).increment();
        counter("levain.normalize.records", "Raw records written or dead-lettered", topic).increment(raws.size());
        counter("levain.normalize.dead.letters", "Raw records dead-lettered with their reason", topic)
                .increment(deadLetters);
        Timer delay = Timer.builder("levain.normalize.delay")
                .description("From ingest's receipt of a raw event to its batch being durable")
                .tag("topic", topic).serviceLevelObjectives(DELAY_BUCKETS).register(registry);
        Instant now = Instant.now();
        raws.stream().filter(raw -> raw.receivedAt() != null)
                .forEach(raw -> delay.record(Duration.between(raw.receivedAt(), now)));
    }

    private Counter counter(String name, String description, String topic) {
        return Counter.builder(name).description(description).tag("topic", topic).register(registry);
    }
}
