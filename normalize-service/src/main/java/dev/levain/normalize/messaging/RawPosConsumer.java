package dev.levain.normalize.messaging;

import dev.levain.events.Channels;
import dev.levain.events.sales.SaleRecorded;
import dev.levain.normalize.config.NormalizeConfig;
import dev.levain.normalize.service.RawEnvelope;
import dev.levain.normalize.service.RejectedEventException;
import dev.levain.normalize.service.SaleNormalizer;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code levain.raw.pos}. A record is acknowledged (and its offset becomes committable)
 * only after its transaction committed and its {@code levain.sales.recorded} event was
 * acknowledged by the broker; a crash in between replays it, and the upserts absorb the replay.
 */
@ApplicationScoped
public class RawPosConsumer {

    private static final Logger LOG = Logger.getLogger(RawPosConsumer.class);

    private final SaleNormalizer normalizer;
    private final SalesRecordedPublisher publisher;
    private final NormalizeConfig config;

    public RawPosConsumer(SaleNormalizer normalizer, SalesRecordedPublisher publisher, NormalizeConfig config) {
        this.normalizer = normalizer;
        this.publisher = publisher;
        this.config = config;
    }

    @Incoming(Channels.RAW_POS_IN)
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> message) {
        RawEnvelope raw = RawEnvelopes.from(message);
        SaleRecorded recorded;
        try {
            recorded = normalizeWithRetries(raw);
        } catch (RejectedEventException e) {
            LOG.warnf("Rejected %s at %s-%d@%d: %s", raw.eventId(), raw.topic(), raw.partition(), raw.offset(), e.getMessage());
            normalizer.reject(raw, e.getMessage());
            // The failure strategy sends the record to the dead-letter topic with this reason.
            return message.nack(e);
        }
        publisher.publish(recorded);
        return message.ack();
    }

    /** Retries failures that are not about the event itself (a database restart, say) before giving up. */
    private SaleRecorded normalizeWithRetries(RawEnvelope raw) {
        Duration backoff = Duration.ofMillis(500);
        for (int attempt = 1; ; attempt++) {
            try {
                return normalizer.normalize(raw);
            } catch (RejectedEventException e) {
                throw e;
            } catch (RuntimeException e) {
                if (attempt >= config.maxAttempts()) {
                    throw new RejectedEventException("failed " + attempt + " times: " + e.getMessage());
                }
                LOG.warnf("Attempt %d at %s failed, retrying in %s: %s", attempt, raw.eventId(), backoff, e.getMessage());
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to retry", e);
        }
    }
}
