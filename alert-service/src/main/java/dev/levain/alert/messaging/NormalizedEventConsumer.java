package dev.levain.alert.messaging;

import dev.levain.alert.service.Observation;
import dev.levain.alert.service.ObservationService;
import dev.levain.events.Channels;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code levain.sales.recorded} and {@code levain.inventory.changed}; a record is
 * acknowledged once its observation is committed. The database away (restarting, a failover,
 * the pool out of connections) holds the partition and tries again, backing off up to 30 s, until
 * it is back: the channel lives on and nothing is skipped. Any other failure stops the channel
 * (failure-strategy=fail): health turns DOWN and the restarted service resumes from the last
 * committed offset.
 */
@ApplicationScoped
public class NormalizedEventConsumer {

    private static final Logger LOG = Logger.getLogger(NormalizedEventConsumer.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final ObservationService observations;

    public NormalizedEventConsumer(ObservationService observations) {
        this.observations = observations;
    }

    @Incoming(Channels.SALES_RECORDED_IN)
    @Blocking
    public CompletionStage<Void> onSaleRecorded(Message<String> message) {
        return observe(message);
    }

    @Incoming(Channels.INVENTORY_CHANGED_IN)
    @Blocking
    public CompletionStage<Void> onInventoryChanged(Message<String> message) {
        return observe(message);
    }

    /** Observes the record within the trace its headers carry (W3C traceparent): its log lines carry that trace id. */
    private CompletionStage<Void> observe(Message<String> message) {
        Context trace = TracingMetadata.fromMessage(message).map(TracingMetadata::getCurrentContext)
                .orElse(null);
        try (Scope traced = (trace == null ? Context.current() : trace).makeCurrent()) {
            return observeTraced(message);
        }
    }

    @SuppressWarnings("unchecked")
    private CompletionStage<Void> observeTraced(Message<String> message) {
        IncomingKafkaRecordMetadata<String, String> kafka = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("Normalized events come from Kafka"));
        IncomingCloudEventMetadata<String> cloudEvent = message.getMetadata(IncomingCloudEventMetadata.class)
                .orElse(null);
        if (cloudEvent == null) {
            // Only our normalizer writes these topics; a record without an envelope is a bug to log, not to stop on.
            LOG.errorf("Skipping %s-%d@%d: not a CloudEvent", kafka.getTopic(), kafka.getPartition(), kafka.getOffset());
            return message.ack();
        }
        ZonedDateTime time = cloudEvent.getTimeStamp().orElse(null);
        Observation observation = new Observation(cloudEvent.getId(), kafka.getTopic(), cloudEvent.getType(),
                cloudEvent.getSource().toString(), kafka.getKey(), time == null ? null : time.toOffsetDateTime(),
                message.getPayload());
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                observations.observe(observation);
                return message.ack();
            } catch (RuntimeException e) {
                if (!DatabaseOutage.isOutage(e)) {
                    throw e;
                }
                LOG.warnf("Observing %s-%d@%d: attempt %d met the database away, again in %d ms: %s", kafka.getTopic(),
                        kafka.getPartition(), kafka.getOffset(), attempt, backoff.toMillis(), DatabaseOutage.rootMessage(e));
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private static void sleep(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the database", e);
        }
    }
}
