package dev.levain.alert.messaging;

import dev.levain.alert.service.Observation;
import dev.levain.alert.service.ObservationService;
import dev.levain.events.Channels;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZonedDateTime;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code levain.sales.recorded} and {@code levain.inventory.changed}; a record is
 * acknowledged once its observation is committed. A failure to store stops the channel
 * (failure-strategy=fail): health turns DOWN and the restarted service resumes from the last
 * committed offset, so nothing is skipped.
 */
@ApplicationScoped
public class NormalizedEventConsumer {

    private static final Logger LOG = Logger.getLogger(NormalizedEventConsumer.class);

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

    @SuppressWarnings("unchecked")
    private CompletionStage<Void> observe(Message<String> message) {
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
        observations.observe(new Observation(cloudEvent.getId(), kafka.getTopic(), cloudEvent.getType(),
                cloudEvent.getSource().toString(), kafka.getKey(), time == null ? null : time.toOffsetDateTime(),
                message.getPayload()));
        return message.ack();
    }
}
