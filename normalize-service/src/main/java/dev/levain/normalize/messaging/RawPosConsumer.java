package dev.levain.normalize.messaging;

import dev.levain.events.Channels;
import dev.levain.events.sales.SaleRecorded;
import dev.levain.normalize.service.RawEnvelope;
import dev.levain.normalize.service.RejectedEventException;
import dev.levain.normalize.service.Retries;
import dev.levain.normalize.service.SaleNormalizer;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code levain.raw.pos}. A record is acknowledged (its offset becomes committable) only
 * once its outcome is durable: the sale committed and {@code levain.sales.recorded} acknowledged
 * by the broker, or the rejection stored in {@code core.rejected_event} and on the dead-letter
 * topic. A crash in between replays the record, and the upserts absorb the replay.
 */
@ApplicationScoped
public class RawPosConsumer {

    private static final Logger LOG = Logger.getLogger(RawPosConsumer.class);

    private final SaleNormalizer normalizer;
    private final SalesRecordedPublisher salesRecorded;
    private final DeadLetterPublisher deadLetters;
    private final Retries retries;

    public RawPosConsumer(SaleNormalizer normalizer, SalesRecordedPublisher salesRecorded,
                          DeadLetterPublisher deadLetters, Retries retries) {
        this.normalizer = normalizer;
        this.salesRecorded = salesRecorded;
        this.deadLetters = deadLetters;
        this.retries = retries;
    }

    @Incoming(Channels.RAW_POS_IN)
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> message) {
        RawEnvelope raw = RawEnvelopes.from(message);
        String what = "raw event " + raw.eventId() + " at " + raw.topic() + "-" + raw.partition() + "@" + raw.offset();
        try {
            SaleRecorded recorded = retries.forEvent(what, () -> normalizer.normalize(raw));
            retries.untilDone("announcing " + recorded.key(), () -> salesRecorded.publish(recorded));
        } catch (RejectedEventException e) {
            LOG.warnf("Rejected %s: %s", what, e.getMessage());
            retries.untilDone("rejecting " + what, () -> normalizer.reject(raw, e.getMessage()));
            retries.untilDone("dead-lettering " + what, () -> deadLetters.publish(message, raw, e.getMessage()));
        }
        return message.ack();
    }
}
