package dev.levain.normalize.messaging;

import dev.levain.events.Channels;
import dev.levain.normalize.service.Announcements;
import dev.levain.normalize.service.BatchNormalizer;
import dev.levain.normalize.service.NormalizeMetrics;
import dev.levain.normalize.service.RawEnvelope;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the raw topics a poll at a time. A batch is acknowledged (its offsets become
 * committable) only once its outcome is durable: written in one database transaction, announced
 * and dead-lettered with the broker's acknowledgement. A crash in between replays the batch, and
 * the idempotent writes absorb the replay.
 *
 * <p>Each channel runs as several copies ({@code concurrency}), each with its own Kafka consumer
 * in the group, so the partitions assigned to this process are written side by side, each batch
 * on its own connection and transaction; within a copy, batches are written one after the other,
 * so the versions of an entity (one key, one partition) arrive in order. While a batch's
 * announcements wait for the broker, the copy already writes its next batch.
 */
@ApplicationScoped
public class RawEventConsumer {

    private final BatchNormalizer normalizer;
    private final Announcer announcer;
    private final NormalizeMetrics metrics;
    private final BatchTraces traces;

    public RawEventConsumer(BatchNormalizer normalizer, Announcer announcer, NormalizeMetrics metrics,
                            BatchTraces traces) {
        this.traces = traces;
        this.normalizer = normalizer;
        this.announcer = announcer;
        this.metrics = metrics;
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
        Span span = traces.start(raws.isEmpty() ? "raw" : raws.get(0).topic(), raws);
        try (Scope traced = span.makeCurrent()) {
            Announcements announcements = normalizer.normalize(raws, false);
            announcer.announce(announcements).whenComplete((done, failure) -> {
                if (failure == null) {
                    metrics.batchDone(raws, announcements.rejections().size());
                }
                // A failure here cannot be mended by sending again: the channel fails, health goes DOWN.
                (failure == null ? batch.ack() : batch.nack(failure)).toCompletableFuture();
            });
        } finally {
            span.end();
        }
        return CompletableFuture.completedFuture(null);
    }
}
