package dev.levain.normalize.messaging;

import dev.levain.events.Channels;
import dev.levain.normalize.service.Announcements;
import dev.levain.normalize.service.BatchNormalizer;
import dev.levain.normalize.service.RawEnvelope;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the raw topics a poll at a time. A batch is acknowledged (its offsets become
 * committable) only once its outcome is durable: written in one database transaction, announced
 * and dead-lettered with the broker's acknowledgement. A crash in between replays the batch, and
 * the idempotent writes absorb the replay. Batches of one channel are written one after the other,
 * so the versions of an entity are compared under one ordering.
 */
@ApplicationScoped
public class RawEventConsumer {

    private final BatchNormalizer normalizer;
    private final Announcer announcer;

    public RawEventConsumer(BatchNormalizer normalizer, Announcer announcer) {
        this.normalizer = normalizer;
        this.announcer = announcer;
    }

    @Incoming(Channels.RAW_POS_IN)
    @Blocking
    public CompletionStage<Void> consumePos(KafkaRecordBatch<String, byte[]> batch) {
        return consume(batch);
    }

    @Incoming(Channels.RAW_CRM_IN)
    @Blocking
    public CompletionStage<Void> consumeCrm(KafkaRecordBatch<String, byte[]> batch) {
        return consume(batch);
    }

    @Incoming(Channels.RAW_INVENTORY_IN)
    @Blocking
    public CompletionStage<Void> consumeInventory(KafkaRecordBatch<String, byte[]> batch) {
        return consume(batch);
    }

    private CompletionStage<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<RawEnvelope> raws = batch.getRecords().stream().map(RawEnvelopes::from).toList();
        Announcements announcements = normalizer.normalize(raws, false);
        announcer.announce(announcements);
        return batch.ack();
    }
}
