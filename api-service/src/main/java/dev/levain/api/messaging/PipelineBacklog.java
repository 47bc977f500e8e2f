package dev.levain.api.messaging;

import dev.levain.api.config.ApiConfig;
import dev.levain.events.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Raw events on the broker that the normalizer has not committed yet: the pipeline's backlog. */
@ApplicationScoped
public class PipelineBacklog {

    private static final Logger LOG = Logger.getLogger(PipelineBacklog.class);
    private static final Set<String> RAW_TOPICS = Set.of(Topics.RAW_POS, Topics.RAW_CRM, Topics.RAW_INVENTORY);
    private static final long TIMEOUT_MS = 1000;

    private final Admin admin;
    private final String group;

    public PipelineBacklog(@ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrapServers,
                           ApiConfig config) {
        this.group = config.normalizerGroup();
        this.admin = bootstrapServers.map(PipelineBacklog::admin).orElse(null);
    }

    private static Admin admin(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS * 2);
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "api-service-backlog");
        return Admin.create(properties);
    }

    /** Raw events not yet normalized, or empty when the broker does not answer within a second. */
    public Optional<Long> pendingEvents() {
        if (admin == null) {
            return Optional.empty();
        }
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().stream().filter(p -> RAW_TOPICS.contains(p.topic()))
                    .forEach(p -> latest.put(p, OffsetSpec.latest()));
            if (latest.isEmpty()) {
                return Optional.of(0L);
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            long pending = 0;
            for (var end : ends.entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                pending += Math.max(0, end.getValue().offset() - (done == null ? 0 : done.offset()));
            }
            return Optional.of(pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            // Freshness degrades to "unknown backlog"; the KPIs themselves do not depend on the broker.
            LOG.debugf("Cannot read the normalizer's backlog: %s", e.getMessage());
            return Optional.empty();
        }
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(1));
        }
    }
}
