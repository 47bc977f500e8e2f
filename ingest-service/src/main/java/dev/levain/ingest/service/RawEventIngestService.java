package dev.levain.ingest.service;

import dev.levain.ingest.messaging.RawEventPublisher;
import dev.levain.ingest.repository.LedgerUnavailableException;
import dev.levain.ingest.repository.ReceivedEventRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Publishes accepted raw events once each: an event id already accepted is reported as a duplicate
 * and not published again, and success is reported only once Kafka has the new ones (acks=all).
 */
@ApplicationScoped
public class RawEventIngestService {

    private static final Logger LOG = Logger.getLogger(RawEventIngestService.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(15);

    private final ReceivedEventRepository ledger;
    private final RawEventPublisher publisher;
    private final IngestMetrics metrics;

    public RawEventIngestService(ReceivedEventRepository ledger, RawEventPublisher publisher, IngestMetrics metrics) {
        this.ledger = ledger;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    public IngestResult ingest(RawEvent event) {
        return ingestAll(event.connector(), List.of(event)).get(0);
    }

    /**
     * Claims the events in the dedupe ledger and publishes the new ones, in one database transaction held
     * until Kafka acknowledged them: a publish failure rolls the claims back, so the sender's retry
     * publishes them. Results are in the order of {@code events}.
     * <p>
     * The ledger only saves Kafka from duplicates (consumers are idempotent anyway), so while the
     * database is down events are published without it rather than refused.
     *
     * @throws PublishFailedException when Kafka did not acknowledge in time; nothing is claimed
     */
    public List<IngestResult> ingestAll(String connector, List<RawEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        ReceivedEventRepository.Claim claim;
        try {
            claim = ledger.claim(connector, events);
        } catch (LedgerUnavailableException e) {
            if (!ReceivedEventRepository.databaseDown(e)) {
                // A busy pool or a failing statement is not an outage: refuse (503) rather than lose dedupe.
                throw e;
            }
            LOG.warnf("Dedupe ledger unavailable, publishing %d event(s) from %s without it: %s", events.size(),
                    connector, e.getMessage());
            metrics.dedupeSkipped(connector, events.size());
            return publishNew(connector, events, events.stream().map(RawEvent::id).collect(Collectors.toSet()));
        }
        try (claim) {
            List<IngestResult> results = publishNew(connector, events, claim.claimed());
            try {
                claim.commit();
            } catch (LedgerUnavailableException e) {
                // Kafka has the events, so the answer is success; only the ledger rows are lost, which at
                // worst lets one later redelivery through to the idempotent consumers.
                LOG.warnf(e, "Events from %s are on Kafka but their dedupe claims did not commit", connector);
            }
            return results;
        }
    }

    private List<IngestResult> publishNew(String connector, List<RawEvent> events, Set<String> claimed) {
        Set<String> toPublish = new HashSet<>(claimed);
        Instant receivedAt = Instant.now();
        String ingestId = UUID.randomUUID().toString();
        List<IngestResult> results = new ArrayList<>(events.size());
        List<Uni<Void>> sends = new ArrayList<>();
        for (RawEvent event : events) {
            // remove(): the same id twice in one batch is published once.
            boolean fresh = toPublish.remove(event.id());
            if (fresh) {
                sends.add(publisher.publish(event, receivedAt, ingestId));
            }
            results.add(new IngestResult(event.id(), !fresh));
        }
        awaitAcknowledged(connector, sends, events.size());
        metrics.received(connector, events.size());
        metrics.accepted(connector, sends.size());
        metrics.duplicates(connector, events.size() - sends.size());
        return results;
    }

    private void awaitAcknowledged(String connector, List<Uni<Void>> sends, int batchSize) {
        if (sends.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        try {
            Uni.join().all(sends).andFailFast().await().atMost(PUBLISH_TIMEOUT);
        } catch (RuntimeException e) {
            metrics.publishFailed(connector, batchSize);
            throw new PublishFailedException("Kafka did not acknowledge " + sends.size() + " event(s) from "
                    + connector, e);
        }
        metrics.publishLatency(connector, Duration.ofNanos(System.nanoTime() - start));
    }
}
