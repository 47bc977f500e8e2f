package dev.levain.ingest.service;

import dev.levain.ingest.messaging.RawEventPublisher;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Publishes accepted raw events and reports success only once Kafka has them (acks=all). */
@ApplicationScoped
public class RawEventIngestService {

    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(15);

    private final RawEventPublisher publisher;

    public RawEventIngestService(RawEventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Completes when the broker acknowledged the event; fails with {@link PublishFailedException} otherwise. */
    public Uni<Void> ingest(RawEvent event) {
        return publisher.publish(event, Instant.now(), UUID.randomUUID().toString())
                .ifNoItem().after(PUBLISH_TIMEOUT).fail()
                .onFailure().transform(e -> new PublishFailedException(
                        "Kafka did not acknowledge event " + event.id() + " on " + event.topic(), e));
    }
}
