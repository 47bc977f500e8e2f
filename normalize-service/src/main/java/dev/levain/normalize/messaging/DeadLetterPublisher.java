package dev.levain.normalize.messaging;

import dev.levain.events.Channels;
import dev.levain.events.CloudEvents;
import dev.levain.normalize.service.RawEnvelope;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Copies a rejected raw record, key, headers and bytes unchanged, to {@code levain.raw.pos.dlq}
 * with the reason and the original coordinates in {@code dead-letter-*} headers.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<byte[]> emitter;

    public DeadLetterPublisher(@Channel(Channels.RAW_POS_DLQ_OUT) MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    /** Sends a copy of {@code original} (its exact headers) and blocks until the broker acknowledged it. */
    public void publish(Message<byte[]> original, RawEnvelope raw, String reason) {
        RecordHeaders headers = new RecordHeaders();
        original.getMetadata(IncomingKafkaRecordMetadata.class)
                .ifPresent(kafka -> kafka.getHeaders().forEach(headers::add));
        headers.add(CloudEvents.DLQ_REASON_HEADER, bytes(reason));
        headers.add(CloudEvents.DLQ_TOPIC_HEADER, bytes(raw.topic()));
        headers.add(CloudEvents.DLQ_PARTITION_HEADER, bytes(String.valueOf(raw.partition())));
        headers.add(CloudEvents.DLQ_OFFSET_HEADER, bytes(String.valueOf(raw.offset())));
        OutgoingKafkaRecordMetadata<String> record = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(original.getMetadata(IncomingKafkaRecordMetadata.class)
                        .map(kafka -> (String) kafka.getKey()).orElse(raw.key()))
                .withHeaders(headers)
                .build();
        emitter.sendMessage(Message.of(raw.payload()).addMetadata(record)).await().atMost(ACK_TIMEOUT);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
