package dev.levain.ingest.messaging;

import dev.levain.events.Channels;
import dev.levain.events.CloudEvents;
import dev.levain.events.Topics;
import dev.levain.ingest.service.RawEvent;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** Writes raw events to their Kafka topic as binary-mode CloudEvents. */
@ApplicationScoped
public class RawEventPublisher {

    private final Map<String, MutinyEmitter<byte[]>> emitters;

    public RawEventPublisher(
            @Channel(Channels.RAW_POS_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
            MutinyEmitter<byte[]> rawPos,
            @Channel(Channels.RAW_CRM_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
            MutinyEmitter<byte[]> rawCrm,
            @Channel(Channels.RAW_INVENTORY_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
            MutinyEmitter<byte[]> rawInventory) {
        this.emitters = Map.of(Topics.RAW_POS, rawPos, Topics.RAW_CRM, rawCrm, Topics.RAW_INVENTORY, rawInventory);
    }

    /** Sends the event; the returned Uni completes when the broker acknowledged it. */
    public Uni<Void> publish(RawEvent event, Instant receivedAt, String ingestId) {
        OutgoingCloudEventMetadata<byte[]> cloudEvent = OutgoingCloudEventMetadata.<byte[]>builder()
                .withId(event.id())
                .withSource(URI.create(event.source()))
                .withType(event.type())
                .withTimestamp(event.time().toZonedDateTime())
                .withDataContentType(event.contentType())
                .withExtension(CloudEvents.RECEIVED_AT, receivedAt.toString())
                .withExtension(CloudEvents.INGEST_ID, ingestId)
                .withExtension(CloudEvents.CONTENT_HASH, event.contentHash())
                .build();
        OutgoingKafkaRecordMetadata<String> record = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.key())
                .build();
        MutinyEmitter<byte[]> emitter = emitters.get(event.topic());
        if (emitter == null) {
            return Uni.createFrom().failure(new IllegalArgumentException("No channel publishes to " + event.topic()));
        }
        // The request's trace goes on in the record's headers (W3C traceparent), whichever thread sends it.
        return emitter.sendMessage(Message.of(event.payload(),
                Metadata.of(cloudEvent, record, TracingMetadata.withCurrent(Context.current()))));
    }
}
