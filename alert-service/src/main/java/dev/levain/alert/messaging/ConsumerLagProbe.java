package dev.levain.alert.messaging;

import dev.levain.alert.config.AlertConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * How far the normalizer's consumer group is behind the end of the raw topics, read with the
 * Kafka admin API. Partitions the group never committed are not counted: a topic the normalizer
 * does not consume is no lag.
 */
@ApplicationScoped
public class ConsumerLagProbe {

    private static final Logger LOG = Logger.getLogger(ConsumerLagProbe.class);
    private static final long TIMEOUT_SECONDS = 5;

    private final Admin admin;
    private final AlertConfig config;

    public ConsumerLagProbe(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                            AlertConfig config) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        int timeoutMs = (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        this.admin = Admin.create(props);
        this.config = config;
    }

    /** Records behind on the watched topics, or empty when Kafka could not tell. */
    public Optional<Long> lag() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(config.pipeline().consumerGroup())
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> watched = new HashMap<>();
            committed.forEach((partition, offset) -> {
                if (offset != null && config.pipeline().topics().contains(partition.topic())) {
                    watched.put(partition, OffsetSpec.latest());
                }
            });
            if (watched.isEmpty()) {
                return Optional.of(0L);
            }
            var ends = admin.listOffsets(watched).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long lag = 0;
            for (var end : ends.entrySet()) {
                lag += Math.max(0, end.getValue().offset() - committed.get(end.getKey()).offset());
            }
            return Optional.of(lag);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            LOG.warnf("Consumer lag of %s unknown: %s", config.pipeline().consumerGroup(), e.getMessage());
            return Optional.empty();
        }
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
