package dev.levain.normalize.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * normalize-service's figures at {@code /q/metrics}, per raw topic, counted once a batch's outcome is
 * durable (committed, announced, dead-lettered): batches, records, dead letters, and the delay from
 * ingest's receipt to that moment (the pipeline's freshness). Lag is the Kafka clients' own
 * {@code kafka_consumer_fetch_manager_records_lag_max} (the largest of each consumer's partitions).
 */
@ApplicationScoped
public class NormalizeMetrics {

    private static final Duration[] DELAY_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30)};

    private final MeterRegistry registry;

    public NormalizeMetrics(MeterRegistry registry) {
        this.registry = registry;
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
