package dev.levain.devstack.bench;

import dev.levain.devstack.DevStack;
import dev.levain.devstack.postgres.PostgresServer;
import dev.levain.events.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the running system did with the benchmark's sales, seen from outside the services: sales in
 * {@code core.sale}, the normalizer's consumer lag on {@code levain.raw.pos} as the broker reports it, and the
 * announcements on {@code levain.sales.recorded}.
 */
final class SalesProbe implements AutoCloseable {

    /** The normalizer's consumer group: every instance joins it. */
    static final String GROUP = "normalize-service";
    private static final long TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(15);
    private static final long SETTLED_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final Pattern SOURCE_ID = Pattern.compile("\"source_id\":\"([^\"]+)\"");
    private static final Pattern RECEIVED_AT = Pattern.compile("\"received_at\":\"([^\"]+)\"");

    /**
     * One sale's first announcement: when the broker appended it (the topic keeps the broker's append time, see
     * {@link #useBrokerTimestamps()}) and when ingest received the sale (its {@code received_at}).
     */
    record Announcement(long atMillis, long receivedAtMillis) {
    }

    private final DevStack stack;
    private final Connection database;
    private final Admin admin;

    SalesProbe(DevStack stack) throws SQLException {
        this.stack = stack;
        this.database = DriverManager.getConnection(stack.postgres().jdbcUrl(), PostgresServer.SUPERUSER,
                PostgresServer.PASSWORD);
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers()));
    }

    /**
     * Record timestamps of {@code levain.sales.recorded} become the broker's append time: a record's timestamp is
     * then (within a millisecond) when the broker acknowledged the normalizer's send, not when the send began.
     */
    void useBrokerTimestamps() throws ExecutionException, InterruptedException {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.SALES_RECORDED);
        AlterConfigOp logAppendTime = new AlterConfigOp(new ConfigEntry("message.timestamp.type", "LogAppendTime"),
                AlterConfigOp.OpType.SET);
        admin.incrementalAlterConfigs(Map.of(topic, List.of(logAppendTime))).all().get();
    }

    /** Gives {@code levain.raw.pos} {@code partitions} partitions, if it has fewer; returns how many it has. */
    int ensureRawPartitions(int partitions) throws ExecutionException, InterruptedException {
        int now = admin.describeTopics(List.of(Topics.RAW_POS)).allTopicNames().get().get(Topics.RAW_POS).partitions().size();
        if (now < partitions) {
            admin.createPartitions(Map.of(Topics.RAW_POS, NewPartitions.increaseTo(partitions))).all().get();
            return partitions;
        }
        return now;
    }

    /** The postmaster's pid, from its pid file: the root of PostgreSQL's processes. */
    static long postmasterPid(Path dataDir) {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/data/postmaster.pid")).get(0).trim());
        } catch (Exception e) {
            return -1;
        }
    }

    long storedSales() throws SQLException {
        try (Statement statement = database.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM core.sale")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * Polls {@code core.sale} until it holds {@code target} sales or {@code stalled} passes without a new one
     * (or 15 minutes in all); prints progress every 2 s when {@code cpu} is given. Returns the sales stored.
     */
    long awaitStored(long target, long base, Duration stalled, CpuSampler cpu, CpuSampler.Snapshot since)
            throws Exception {
        long begin = System.nanoTime();
        long stored = storedSales();
        long lastProgress = begin;
        long lastPrint = begin;
        while (stored < target && System.nanoTime() - begin < TIMEOUT_NANOS
                && System.nanoTime() - lastProgress < stalled.toNanos()) {
            Thread.sleep(100);
            long now = storedSales();
            if (now > stored) {
                lastProgress = System.nanoTime();
            }
            stored = now;
            if (cpu != null && (System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(2) || stored >= target)) {
                lastPrint = System.nanoTime();
                System.out.printf("    t=%5.1fs stored %,7d of %,d  consumer lag %,7d  machine %3.0f%% busy  load %s%n",
                        (lastPrint - since.nanos()) / 1e9, stored - base, target - base, lag(),
                        cpu.busyPercentSince(since), CpuSampler.loadAverage());
            }
        }
        if (stored < target) {
            System.out.printf("    only %,d of %,d sales stored: the normalizer stopped making progress (see its log)%n",
                    stored - base, target - base);
        }
        return stored;
    }

    /** The normalizer's lag on {@code levain.raw.pos}: end offsets minus the group's committed offsets. */
    long lag() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicPartition partition : partitions(Topics.RAW_POS)) {
            latest.put(partition, OffsetSpec.latest());
        }
        long lag = 0;
        for (var end : admin.listOffsets(latest).all().get().entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            lag += end.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return lag;
    }

    /** The partitions of {@code levain.raw.pos} each consumer of the normalizer's group has, and whether that is settled. */
    record Spread(List<String> consumers, boolean settled) {

        @Override
        public String toString() {
            return (consumers.isEmpty() ? "no consumer" : String.join(" ", consumers)) + (settled ? "" : ", still rebalancing");
        }
    }

    /**
     * Waits until the normalizer's group is stable with every partition of {@code levain.raw.pos} assigned, over
     * exactly {@code consumers} consumers when that is above 0 (an instance may run several: the channel's
     * {@code concurrency}). A rebalance during a measurement would stop every instance while it lasts.
     */
    Spread awaitSpread(int consumers, int partitions, Duration timeout) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> spread = spread();
        long unchangedSince = System.nanoTime();
        boolean settled = false;
        while (!settled && System.nanoTime() < deadline) {
            Thread.sleep(250);
            List<String> now = spread();
            if (!now.equals(spread)) {
                spread = now;
                unchangedSince = System.nanoTime();
            }
            // Consumers of one instance join one after the other: a spread is settled once it held for a while.
            settled = System.nanoTime() - unchangedSince >= SETTLED_NANOS && settled(spread, consumers, partitions);
        }
        return new Spread(spread, settled);
    }

    private boolean settled(List<String> spread, int consumers, int partitions)
            throws ExecutionException, InterruptedException {
        int assigned = spread.stream().mapToInt(list -> list.split(",").length).sum();
        return assigned == partitions && (consumers <= 0 || spread.size() == consumers) && stable();
    }

    private boolean stable() throws ExecutionException, InterruptedException {
        return admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP).groupState() == GroupState.STABLE;
    }

    private List<String> spread() throws ExecutionException, InterruptedException {
        Collection<MemberDescription> members = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP).members();
        List<String> described = new ArrayList<>();
        for (MemberDescription member : members) {
            List<Integer> raw = member.assignment().topicPartitions().stream()
                    .filter(p -> p.topic().equals(Topics.RAW_POS)).map(TopicPartition::partition).sorted().toList();
            if (!raw.isEmpty()) {
                described.add(raw.toString());
            }
        }
        described.sort(null);
        return described;
    }

    /** The end offsets of {@code levain.sales.recorded} now: where the next announcements will be. */
    Map<TopicPartition, Long> announcementsEnd() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicPartition partition : partitions(Topics.SALES_RECORDED)) {
            latest.put(partition, OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    /**
     * The announcements after {@code from}, once every sale of {@code saleIds} is among them or {@code timeout}
     * passed: the normalizer announces a sale just after committing it, so the last ones may still be on their way
     * when {@code core.sale} counts them.
     */
    Map<String, Announcement> awaitAnnounced(Map<TopicPartition, Long> from, Collection<String> saleIds, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Announcement> announced = announcedSince(from);
        while (!announced.keySet().containsAll(saleIds) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            announced = announcedSince(from);
        }
        return announced;
    }

    /**
     * Every sale announced on {@code levain.sales.recorded} after {@code from}, by its sale id (the part of the
     * announcement's {@code source_id} after its last '/': a native sale's {@code store/sale_id}, a Square order's
     * id); the first announcement of each.
     */
    private Map<String, Announcement> announcedSince(Map<TopicPartition, Long> from) {
        Map<String, Announcement> announced = new HashMap<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>(from.keySet());
            consumer.assign(partitions);
            from.forEach(consumer::seek);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    Matcher source = SOURCE_ID.matcher(record.value());
                    Matcher received = RECEIVED_AT.matcher(record.value());
                    if (source.find() && received.find()) {
                        String id = source.group(1).substring(source.group(1).lastIndexOf('/') + 1);
                        announced.putIfAbsent(id, new Announcement(record.timestamp(),
                                Instant.parse(received.group(1)).toEpochMilli()));
                    }
                }
            }
        }
        return announced;
    }

    private List<TopicPartition> partitions(String topic) throws ExecutionException, InterruptedException {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    @Override
    public void close() throws SQLException {
        admin.close();
        database.close();
    }
}
