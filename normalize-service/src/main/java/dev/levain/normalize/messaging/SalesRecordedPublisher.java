package dev.levain.normalize.messaging;

import dev.levain.events.Channels;
import dev.levain.events.EventIds;
import dev.levain.events.EventTypes;
import dev.levain.events.sales.SaleRecorded;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/** Announces stored sales on {@code levain.sales.recorded}. */
@ApplicationScoped
public class SalesRecordedPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<SaleRecorded> emitter;

    public SalesRecordedPublisher(@Channel(Channels.SALES_RECORDED_OUT) MutinyEmitter<SaleRecorded> emitter) {
        this.emitter = emitter;
    }

    /** Sends the event and blocks until the broker acknowledged it. */
    public void publish(SaleRecorded sale) {
        // Same stored version of the sale, same id: consumers dedupe replays on it.
        String id = EventIds.stableId(sale.source(), sale.sourceId(), String.valueOf(sale.version()),
                String.valueOf(sale.receivedAt().toInstant().toEpochMilli()));
        OutgoingCloudEventMetadata<SaleRecorded> cloudEvent = OutgoingCloudEventMetadata.<SaleRecorded>builder()
                .withId(id)
                .withSource(URI.create("levain/normalize/" + sale.storeCode()))
                .withType(EventTypes.SALE_RECORDED)
                .withTimestamp(sale.occurredAt().toZonedDateTime())
                .withDataContentType("application/json")
                .build();
        OutgoingKafkaRecordMetadata<String> record = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(sale.key())
                .build();
        emitter.sendMessage(Message.of(sale, Metadata.of(cloudEvent, record))).await().atMost(ACK_TIMEOUT);
    }
}
