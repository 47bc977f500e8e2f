package dev.levain.ingest.connector.pos.square;

import dev.levain.events.Sources;
import dev.levain.events.signature.SignatureException;
import dev.levain.events.signature.SquareSignature;
import dev.levain.ingest.config.SquareConfig;
import dev.levain.ingest.repository.LedgerUnavailableException;
import dev.levain.ingest.repository.ReceivedEventRepository;
import dev.levain.ingest.service.ConflictPolicy;
import dev.levain.ingest.service.IngestMetrics;
import dev.levain.ingest.service.IngestResult;
import dev.levain.ingest.service.RawEvent;
import dev.levain.ingest.service.RawEventIngestService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Takes one Square webhook: checks its signature before reading it, fetches the full order for
 * order, payment and refund notifications (Square's are thin, and POS-app sales only raise payment
 * events), then publishes the notification and the order together, once each. Customer and inventory
 * notifications go to the CRM and inventory topics, also from a deployment that serves only the POS source.
 */
@ApplicationScoped
public class SquareWebhookHandler {

    private static final Logger LOG = Logger.getLogger(SquareWebhookHandler.class);

    private final SquareConfig config;
    private final SquareApiClient api;
    private final RawEventIngestService ingest;
    private final ReceivedEventRepository ledger;
    private final IngestMetrics metrics;

    public SquareWebhookHandler(SquareConfig config, SquareApiClient api, RawEventIngestService ingest,
                                ReceivedEventRepository ledger, IngestMetrics metrics) {
        this.config = config;
        this.api = api;
        this.ingest = ingest;
        this.ledger = ledger;
        this.metrics = metrics;
    }

    /** What became of a webhook; {@code orderEventId} is set when an order was fetched. */
    public record Outcome(String status, String type, String eventId, String orderEventId) {

        public boolean published() {
            return status.equals("accepted");
        }
    }

    /**
     * @throws SignatureException                                      (401) bad or missing signature
     * @throws dev.levain.ingest.service.InvalidInputException          (400) unreadable notification
     * @throws dev.levain.ingest.service.UpstreamUnavailableException   (503) the order could not be fetched;
     *                                                                  nothing was published
     */
    public Outcome receive(String signature, byte[] body) {
        verify(signature, body);
        SquareNotification notification = SquareNotificationReader.read(body);
        Optional<String> ignored = notification.kind().ignoredReason();
        if (ignored.isPresent()) {
            metrics.ignored(Sources.POS_SQUARE, ignored.get());
            return new Outcome("ignored", notification.type(), notification.eventId(), null);
        }
        RawEvent notificationEvent = notification.toRawEvent();
        if (notification.orderId() != null && alreadyAccepted(notificationEvent)) {
            // Its order was published with it: a redelivery needs no Orders API call, and must not get a
            // 503 while that API is down.
            metrics.duplicate(Sources.POS_SQUARE);
            return new Outcome("duplicate", notification.type(), notification.eventId(), null);
        }
        List<RawEvent> events = new ArrayList<>(2);
        events.add(notificationEvent);
        if (notification.orderId() != null) {
            // Fetched before anything is claimed: if Square's API fails, nothing is half-published and the
            // 503 makes Square deliver the notification again.
            events.add(api.order(notification.orderId()).toRawEvent());
        }
        // Square cannot be asked to resend under another version: a changed order or notification is kept.
        List<IngestResult> results = ingest.ingestAll(Sources.POS_SQUARE, events, ConflictPolicy.KEEP_AS_CORRECTION);
        boolean published = results.stream().anyMatch(IngestResult::published);
        return new Outcome(published ? "accepted" : "duplicate", notification.type(), notification.eventId(),
                results.size() > 1 ? results.get(1).eventId() : null);
    }

    /**
     * Accepted before with the same content. A shortcut only: false when unknown (database down), and a first
     * delivery racing a copy of itself still
     * meets the copy at the ledger claim in {@link RawEventIngestService#ingestAll}.
     */
    private boolean alreadyAccepted(RawEvent event) {
        try {
            return ledger.accepted(event);
        } catch (LedgerUnavailableException e) {
            LOG.debugf("Dedupe ledger unavailable, fetching the order of %s anyway: %s", event.id(), e.getMessage());
            return false;
        }
    }

    private void verify(String signature, byte[] body) {
        String key = config.signatureKey().filter(k -> !k.isBlank()).orElseThrow(() ->
                new SignatureException("No Square signature key is configured; every Square webhook is refused"));
        String url = config.notificationUrl().filter(u -> !u.isBlank()).orElseThrow(() ->
                new SignatureException("No Square notification URL is configured; every Square webhook is refused"));
        SquareSignature.verify(signature, body, key, url);
    }
}
