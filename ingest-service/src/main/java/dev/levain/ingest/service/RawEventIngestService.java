package dev.levain.ingest.service;

import dev.levain.ingest.messaging.RawEventPublisher;
import dev.levain.ingest.repository.LedgerUnavailableException;
import dev.levain.ingest.repository.ReceivedEventRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Publishes accepted raw events once each: an event id already accepted with the same content is reported as
 * a duplicate and not published again, one accepted with other content is refused or kept as a correction
 * ({@link ConflictPolicy}), and success is reported only once Kafka has the new ones (acks=all).
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

    public IngestResult ingest(RawEvent event, ConflictPolicy onConflict) {
        return ingestAll(event.connector(), List.of(event), onConflict).get(0);
    }

    /**
     * Claims the events in the dedupe ledger and publishes the new ones, in one database transaction held
     * until Kafka acknowledged them: a publish failure rolls the claims back, so the sender's retry
     * publishes them. An id accepted before is a duplicate when the event says the same (its fingerprint),
     * else it is handled by {@code onConflict}. Results are in the order of {@code events}.
     * <p>
     * The ledger only saves Kafka from duplicates (consumers are idempotent anyway), so while the
     * database is down events are published without it rather than refused; a changed record under an id
     * accepted before then goes out under that same id, and the normalizer keeps the later receipt.
     *
     * @throws PublishFailedException when Kafka did not acknowledge in time; nothing is claimed
     */
    public List<IngestResult> ingestAll(String connector, List<RawEvent> events, ConflictPolicy onConflict) {
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
            return publish(connector, events, onConflict, new Unrecorded());
        }
        try (claim) {
            List<IngestResult> results = publish(connector, events, onConflict, new Recorded(claim));
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

    private List<IngestResult> publish(String connector, List<RawEvent> events, ConflictPolicy onConflict,
                                       Ledger ledgerView) {
        IngestResult.Outcome[] outcomes = decide(events, ledgerView);
        List<RawEvent> corrections = new ArrayList<>();
        List<Integer> corrected = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (outcomes[i] == IngestResult.Outcome.CONFLICT && onConflict == ConflictPolicy.KEEP_AS_CORRECTION) {
                corrections.add(events.get(i).correction());
                corrected.add(i);
            }
        }
        ledgerView.add(connector, corrections);
        IngestResult.Outcome[] correctionOutcomes = decide(corrections, ledgerView);

        Instant receivedAt = Instant.now();
        String ingestId = UUID.randomUUID().toString();
        List<Uni<Void>> sends = new ArrayList<>();
        List<IngestResult> results = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            if (outcomes[i] == IngestResult.Outcome.ACCEPTED) {
                sends.add(publisher.publish(events.get(i), receivedAt, ingestId));
            }
            results.add(new IngestResult(events.get(i).id(), outcomes[i]));
        }
        // Later than what it corrects, even when both came in this request: the normalizer orders one
        // version by receipt.
        Instant correctedAt = receivedAt.plus(1, ChronoUnit.MICROS);
        int keptCorrections = 0;
        for (int c = 0; c < corrections.size(); c++) {
            RawEvent correction = corrections.get(c);
            boolean fresh = correctionOutcomes[c] == IngestResult.Outcome.ACCEPTED;
            if (fresh) {
                sends.add(publisher.publish(correction, correctedAt, ingestId));
                keptCorrections++;
                LOG.infof("%s changed %s version %s, accepted before with other content: published as correction %s",
                        connector, correction.key(), correction.version(), correction.id());
            }
            // A correction's id holds its fingerprint: taken before, it is this very content again.
            results.set(corrected.get(c), new IngestResult(correction.id(),
                    fresh ? IngestResult.Outcome.CORRECTION : IngestResult.Outcome.DUPLICATE));
        }
        awaitAcknowledged(connector, sends, events.size());
        if (LOG.isDebugEnabled()) {
            for (int i = 0; i < events.size(); i++) {
                LOG.debugf("%s: %s %s %s", connector, events.get(i).type(), results.get(i).eventId(), results.get(i).outcome());
            }
        }
        long conflicts = results.stream().filter(IngestResult::conflict).count();
        metrics.received(connector, events.size());
        metrics.accepted(connector, sends.size() - keptCorrections);
        metrics.corrections(connector, keptCorrections);
        metrics.duplicates(connector, (int) (events.size() - sends.size() - conflicts));
        metrics.conflicts(connector, (int) conflicts);
        return results;
    }

    /**
     * Each event's fate by the ledger: published when this claim took its id (the first of a request
     * carrying an id twice); else a duplicate when it says what the accepted one said, a conflict when not.
     */
    private static IngestResult.Outcome[] decide(List<RawEvent> events, Ledger ledgerView) {
        IngestResult.Outcome[] outcomes = new IngestResult.Outcome[events.size()];
        Map<ReceivedEventRepository.Key, RawEvent> firstHere = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            RawEvent event = events.get(i);
            boolean same;
            if (ledgerView.claimed(event)) {
                RawEvent first = firstHere.putIfAbsent(ReceivedEventRepository.Key.of(event), event);
                if (first == null) {
                    outcomes[i] = IngestResult.Outcome.ACCEPTED;
                    continue;
                }
                same = first.fingerprint().equals(event.fingerprint());
            } else {
                // No row: forgotten meanwhile (past the dedupe window), so as good as accepted.
                same = ledgerView.held(event).map(h -> h.sameContentAs(event)).orElse(true);
            }
            outcomes[i] = same ? IngestResult.Outcome.DUPLICATE : IngestResult.Outcome.CONFLICT;
        }
        return outcomes;
    }

    /** What the ledger says of each event: a claim in the database, or (database down) none. */
    private interface Ledger {

        boolean claimed(RawEvent event);

        Optional<ReceivedEventRepository.Held> held(RawEvent event);

        void add(String connector, List<RawEvent> events);
    }

    private record Recorded(ReceivedEventRepository.Claim claim) implements Ledger {

        @Override
        public boolean claimed(RawEvent event) {
            return claim.claimed(event);
        }

        @Override
        public Optional<ReceivedEventRepository.Held> held(RawEvent event) {
            return claim.held(event);
        }

        @Override
        public void add(String connector, List<RawEvent> events) {
            claim.add(connector, events);
        }
    }

    /** Without the ledger every id is new; only copies within one request can still be compared. */
    private record Unrecorded() implements Ledger {

        @Override
        public boolean claimed(RawEvent event) {
            return true;
        }

        @Override
        public Optional<ReceivedEventRepository.Held> held(RawEvent event) {
            return Optional.empty();
        }

        @Override
        public void add(String connector, List<RawEvent> events) {
            // Nothing to record.
        }
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
