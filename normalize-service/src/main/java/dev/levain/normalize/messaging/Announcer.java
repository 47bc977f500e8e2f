package dev.levain.normalize.messaging;

import dev.levain.events.Channels;
import dev.levain.events.CloudEvents;
import dev.levain.events.EventIds;
import dev.levain.events.EventTypes;
import dev.levain.events.Topics;
import dev.levain.events.inventory.InventoryChanged;
import dev.levain.events.sales.SaleRecorded;
import dev.levain.normalize.repository.RejectedEventRepository.Rejection;
import dev.levain.normalize.service.Announcements;
import dev.levain.normalize.service.RawEnvelope;
import dev.levain.normalize.service.Retries;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Announces what a committed batch stored — {@code levain.sales.recorded},
 * {@code levain.inventory.changed} — and copies its rejected records to {@code <topic>.dlq}, then
 * waits until the broker acknowledged everything. Sent again after a crash, an announcement has
 * the same CloudEvents id, which consumers dedupe on.
 */
@ApplicationScoped
public class Announcer {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<SaleRecorded> salesRecorded;
    private final MutinyEmitter<InventoryChanged> inventoryChanged;
    private final Map<String, MutinyEmitter<byte[]>> deadLetters;
    private final Retries retries;

    public Announcer(
            @Channel(Channels.SALES_RECORDED_OUT) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<SaleRecorded> salesRecorded,
            @Channel(Channels.INVENTORY_CHANGED_OUT) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<InventoryChanged> inventoryChanged,
            @Channel(Channels.RAW_POS_DLQ_OUT) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<byte[]> posDeadLetters,
            @Channel(Channels.RAW_CRM_DLQ_OUT) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<byte[]> crmDeadLetters,
            @Channel(Channels.RAW_INVENTORY_DLQ_OUT) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<byte[]> inventoryDeadLetters,
            Retries retries) {
        this.salesRecorded = salesRecorded;
        this.inventoryChanged = inventoryChanged;
        this.deadLetters = Map.of(Topics.RAW_POS, posDeadLetters, Topics.RAW_CRM, crmDeadLetters,
                Topics.RAW_INVENTORY, inventoryDeadLetters);
        this.retries = retries;
    }

    /** Sends everything and blocks until the broker acknowledged it all, retrying while it is away. */
    public void announce(Announcements announcements) {
        retries.untilDone("announcing " + announcements.sales().size() + " sales, " + announcements.inventory().size()
                + " levels and " + announcements.rejections().size() + " rejections", () -> sendAll(announcements));
    }

    private void sendAll(Announcements announcements) {
        List<Uni<Void>> sends = new ArrayList<>();
        announcements.sales().forEach(sale -> sends.add(salesRecorded.sendMessage(saleMessage(sale))));
        announcements.inventory().forEach(level -> sends.add(inventoryChanged.sendMessage(levelMessage(level))));
        announcements.rejections().forEach(rejection -> sends.add(deadLetter(rejection)));
        if (!sends.isEmpty()) {
            Uni.join().all(sends).andFailFast().await().atMost(ACK_TIMEOUT);
        }
    }

    private static Message<SaleRecorded> saleMessage(SaleRecorded sale) {
        // Same stored state of the sale, same id (a refund applied later makes a new state).
        String id = EventIds.stableId(sale.source(), sale.sourceId(), String.valueOf(sale.version()),
                String.valueOf(sale.receivedAt().toInstant().toEpochMilli()), sale.refunded().toPlainString());
        return Message.of(sale, Metadata.of(cloudEvent(id, "levain/normalize/" + sale.storeCode(),
                EventTypes.SALE_RECORDED, sale.occurredAt()), key(sale.key())));
    }

    private static Message<InventoryChanged> levelMessage(InventoryChanged level) {
        return Message.of(level, Metadata.of(cloudEvent(level.eventId(), "levain/normalize/" + level.storeCode(),
                EventTypes.INVENTORY_CHANGED, level.asOf()), key(level.key())));
    }

    private static <T> OutgoingCloudEventMetadata<T> cloudEvent(String id, String source, String type,
                                                                java.time.OffsetDateTime time) {
        return OutgoingCloudEventMetadata.<T>builder()
                .withId(id)
                .withSource(URI.create(source))
                .withType(type)
                .withTimestamp(time.atZoneSameInstant(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .build();
    }

    private static OutgoingKafkaRecordMetadata<String> key(String key) {
        return OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build();
    }

    /** The rejected record's bytes and headers unchanged, plus why and where it came from. */
    private Uni<Void> deadLetter(Rejection rejection) {
        RawEnvelope raw = rejection.raw();
        MutinyEmitter<byte[]> emitter = deadLetters.get(raw.topic());
        if (emitter == null) {
            throw new IllegalStateException("No dead-letter topic for " + raw.topic());
        }
        RecordHeaders headers = new RecordHeaders();
        raw.headers().forEach((name, value) -> headers.add(name, value == null ? null : bytes(value)));
        headers.add(CloudEvents.DLQ_REASON_HEADER, bytes(rejection.reason()));
        headers.add(CloudEvents.DLQ_TOPIC_HEADER, bytes(raw.topic()));
        headers.add(CloudEvents.DLQ_PARTITION_HEADER, bytes(String.valueOf(raw.partition())));
        headers.add(CloudEvents.DLQ_OFFSET_HEADER, bytes(String.valueOf(raw.offset())));
        OutgoingKafkaRecordMetadata<String> record = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(raw.key()).withHeaders(headers).build();
        return emitter.sendMessage(Message.of(raw.payload()).addMetadata(record));
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
