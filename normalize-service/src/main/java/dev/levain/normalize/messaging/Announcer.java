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
import dev.levain.normalize.config.NormalizeConfig;
import dev.levain.normalize.service.Failures;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
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
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.jboss.logging.Logger;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Announces what a committed batch stored — {@code levain.sales.recorded},
 * {@code levain.inventory.changed} — and copies its rejected records to {@code <topic>.dlq}; the
 * returned stage completes once the broker acknowledged all of it. What the broker fails to take
 * is sent again (only that) after a pause, until it does. Sent again after a crash, an
 * announcement has the same CloudEvents id, which consumers dedupe on.
 *
 * <p>Memory stays bounded while the broker is away: at most {@code announcing-at-most} batches
 * are being announced at once; the next one waits for a slot, which pauses consumption.
 */
@ApplicationScoped
public class Announcer {

    private static final Logger LOG = Logger.getLogger(Announcer.class);
    // Room in each emitter for what the batches being announced hold (up to 1000 records each, a
    // sale announced twice at most), so that a send never overflows.
    private static final int BUFFER = 16_384;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final MutinyEmitter<SaleRecorded> salesRecorded;
    private final MutinyEmitter<InventoryChanged> inventoryChanged;
    private final Map<String, MutinyEmitter<byte[]>> deadLetters;
    private final Semaphore slots;

    public Announcer(
            @Channel(Channels.SALES_RECORDED_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER) MutinyEmitter<SaleRecorded> salesRecorded,
            @Channel(Channels.INVENTORY_CHANGED_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER) MutinyEmitter<InventoryChanged> inventoryChanged,
            @Channel(Channels.RAW_POS_DLQ_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER) MutinyEmitter<byte[]> posDeadLetters,
            @Channel(Channels.RAW_CRM_DLQ_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER) MutinyEmitter<byte[]> crmDeadLetters,
            @Channel(Channels.RAW_INVENTORY_DLQ_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER) MutinyEmitter<byte[]> inventoryDeadLetters,
            NormalizeConfig config) {
        this.salesRecorded = salesRecorded;
        this.inventoryChanged = inventoryChanged;
        this.deadLetters = Map.of(Topics.RAW_POS, posDeadLetters, Topics.RAW_CRM, crmDeadLetters,
                Topics.RAW_INVENTORY, inventoryDeadLetters);
        this.slots = new Semaphore(config.announcingAtMost());
    }

    /**
     * Starts announcing, once a slot is free (blocking the caller until then), and returns a stage
     * that completes when the broker acknowledged everything, or fails on a failure that sending
     * again cannot mend (a record too large, one that does not serialize).
     */
    public CompletionStage<Void> announce(Announcements announcements) throws InterruptedException {
        List<Supplier<Uni<Void>>> sends = new ArrayList<>();
        // The batch's trace goes on in each announcement's headers (W3C traceparent), sent again or not.
        TracingMetadata trace = TracingMetadata.withCurrent(Context.current());
        announcements.sales().forEach(sale -> sends.add(() -> salesRecorded.sendMessage(
                saleMessage(sale).addMetadata(trace))));
        announcements.inventory().forEach(level -> sends.add(() -> inventoryChanged.sendMessage(
                levelMessage(level).addMetadata(trace))));
        announcements.rejections().forEach(rejection -> sends.add(() -> deadLetter(rejection, trace)));
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (sends.isEmpty()) {
            done.complete(null);
            return done;
        }
        slots.acquire();
        done.whenComplete((ok, failure) -> slots.release());
        String what = announcements.sales().size() + " sales, " + announcements.inventory().size() + " levels and "
                + announcements.rejections().size() + " rejections";
        sendUntilAcknowledged(what, sends, FIRST_BACKOFF, done);
        return done;
    }

    /** Announces and waits for the broker's acknowledgement, for callers that have no stream to keep going. */
    public void announceAndWait(Announcements announcements) throws InterruptedException {
        try {
            announce(announcements).toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Announcing failed: " + Failures.rootMessage(e), e.getCause());
        }
    }

    private void sendUntilAcknowledged(String what, List<Supplier<Uni<Void>>> sends, Duration backoff,
                                       CompletableFuture<Void> done) {
        Queue<Supplier<Uni<Void>>> failed = new ConcurrentLinkedQueue<>();
        AtomicReference<Throwable> lastFailure = new AtomicReference<>();
        AtomicInteger pending = new AtomicInteger(sends.size());
        Runnable settle = () -> {
            if (pending.decrementAndGet() > 0) {
                return;
            }
            if (failed.isEmpty()) {
                done.complete(null);
            } else if (cannotMend(lastFailure.get())) {
                done.completeExceptionally(lastFailure.get());
            } else {
                LOG.warnf("Announcing %s: the broker did not take %d of %d, sending those again in %d ms: %s", what,
                        failed.size(), sends.size(), backoff.toMillis(), Failures.rootMessage(lastFailure.get()));
                Duration next = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                List<Supplier<Uni<Void>>> again = List.copyOf(failed);
                Uni.createFrom().voidItem().onItem().delayIt().by(backoff)
                        .subscribe().with(ignored -> sendUntilAcknowledged(what, again, next, done));
            }
        };
        for (Supplier<Uni<Void>> send : sends) {
            Uni<Void> sent;
            try {
                sent = send.get();
            } catch (RuntimeException e) {
                sent = Uni.createFrom().failure(e);
            }
            sent.subscribe().with(ok -> settle.run(), failure -> {
                failed.add(send);
                lastFailure.set(failure);
                settle.run();
            });
        }
    }

    /** A record the broker will never take, however often it is sent. */
    private static boolean cannotMend(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RecordTooLargeException || cause instanceof SerializationException) {
                return true;
            }
        }
        return false;
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
    private Uni<Void> deadLetter(Rejection rejection, TracingMetadata trace) {
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
        return emitter.sendMessage(Message.of(raw.payload()).addMetadata(record).addMetadata(trace));
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
