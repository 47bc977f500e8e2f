package dev.levain.ingest.connector.pos.square;

import dev.levain.events.Sources;
import dev.levain.events.signature.SignatureException;
import dev.levain.events.signature.SquareSignature;
import dev.levain.ingest.config.SquareConfig;
import dev.levain.ingest.service.IngestMetrics;
import dev.levain.ingest.service.IngestResult;
import dev.levain.ingest.service.RawEvent;
import dev.levain.ingest.service.RawEventIngestService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes one Square webhook: checks its signature before reading it, fetches the full order for
 * order, payment and refund notifications (Square's are thin, and POS-app sales only raise payment
 * events), then publishes the notification and the order together, once each.
 */
@ApplicationScoped
public class SquareWebhookHandler {

    private final SquareConfig config;
    private final SquareApiClient api;
    private final RawEventIngestService ingest;
    private final IngestMetrics metrics;

    public SquareWebhookHandler(SquareConfig config, SquareApiClient api, RawEventIngestService ingest,
                                IngestMetrics metrics) {
        this.config = config;
        this.api = api;
        this.ingest = ingest;
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
        if (notification.kind() == SquareEventKind.UNSUPPORTED) {
            metrics.ignored(Sources.POS_SQUARE, "unsupported-type");
            return new Outcome("ignored", notification.type(), notification.eventId(), null);
        }
        List<RawEvent> events = new ArrayList<>(2);
        events.add(notification.toRawEvent());
        if (notification.orderId() != null) {
            // Fetched before anything is claimed: if Square's API fails, nothing is half-published and the
            // 503 makes Square deliver the notification again.
            events.add(api.order(notification.orderId()).toRawEvent());
        }
        List<IngestResult> results = ingest.ingestAll(Sources.POS_SQUARE, events);
        boolean published = results.stream().anyMatch(r -> !r.duplicate());
        return new Outcome(published ? "accepted" : "duplicate", notification.type(), notification.eventId(),
                results.size() > 1 ? results.get(1).eventId() : null);
    }

    private void verify(String signature, byte[] body) {
        String key = config.signatureKey().filter(k -> !k.isBlank()).orElseThrow(() ->
                new SignatureException("No Square signature key is configured; every Square webhook is refused"));
        String url = config.notificationUrl().filter(u -> !u.isBlank()).orElseThrow(() ->
                new SignatureException("No Square notification URL is configured; every Square webhook is refused"));
        SquareSignature.verify(signature, body, key, url);
    }
}
