package dev.levain.normalize.messaging;

import dev.levain.events.Channels;
import dev.levain.normalize.service.Announcements;
import dev.levain.normalize.service.BatchNormalizer;
import dev.levain.normalize.service.RawEnvelope;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the raw topics a poll at a time. A batch is acknowledged (its offsets become
 * committable) only once its outcome is durable: written in one database transaction, announced
 * and dead-lettered with the broker's acknowledgement. A crash in between replays the batch, and
 * the idempotent writes absorb the replay. Batches of one channel are written one after the other,
 * so the versions of an entity are compared under one ordering.
 *
 * <p>While a batch's announcements wait for the broker, the next batch is already being written:
 * announcements go out from one thread, batch after batch in order, at most two batches behind.
 */
@ApplicationScoped
public class RawEventConsumer {

    private static final int ANNOUNCING_AT_MOST = 2;

    private final BatchNormalizer normalizer;
    private final Announcer announcer;
    private final ExecutorService announcing = Executors.newSingleThreadExecutor(r -> new Thread(r, "normalize-announcer"));
    private final Semaphore behind = new Semaphore(ANNOUNCING_AT_MOST);

    public RawEventConsumer(BatchNormalizer normalizer, Announcer announcer) {
        this.normalizer = normalizer;
        this.announcer = announcer;
    }

    @Incoming(Channels.RAW_POS_IN)
    @Blocking
    public CompletionStage<Void> consumePos(KafkaRecordBatch<String, byte[]> batch) throws InterruptedException {
        return consume(batch);
    }

    @Incoming(Channels.RAW_CRM_IN)
    @Blocking
    public CompletionStage<Void> consumeCrm(KafkaRecordBatch<String, byte[]> batch) throws InterruptedException {
        return consume(batch);
    }

    @Incoming(Channels.RAW_INVENTORY_IN)
    @Blocking
    public CompletionStage<Void> consumeInventory(KafkaRecordBatch<String, byte[]> batch) throws InterruptedException {
        return consume(batch);
    }

    private CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) throws InterruptedException {
        List<RawEnvelope> raws = batch.getRecords().stream().map(RawEnvelopes::from).toList();
        Announcements announcements = normalizer.normalize(raws, false);
        behind.acquire();
        CompletableFuture.runAsync(() -> announcer.announce(announcements), announcing)
                .whenComplete((done, failure) -> {
                    behind.release();
                    // A failure here is not an outage (those are retried): the channel fails, health goes DOWN.
                    (failure == null ? batch.ack() : batch.nack(failure)).toCompletableFuture();
                });
        return CompletableFuture.completedFuture(null);
    }

    void onStop(@Observes ShutdownEvent stop) {
        announcing.shutdown();
    }
}
