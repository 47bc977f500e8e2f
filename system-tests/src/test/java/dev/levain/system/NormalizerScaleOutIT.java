package dev.levain.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levain.devstack.DataDirs;
import dev.levain.devstack.DevStack;
import dev.levain.devstack.Ports;
import dev.levain.devstack.launcher.Service;
import dev.levain.devstack.launcher.ServiceProcess;
import dev.levain.devstack.postgres.PostgresServer;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.CloudEvents;
import dev.levain.events.Json;
import dev.levain.events.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Two normalizers and a replay at once, then a SIGKILL mid-batch, end where one normalizer alone ends (issue 13). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NormalizerScaleOutIT {

    private static final Path HOME = Path.of(System.getProperty("levain.home", "..")).toAbsolutePath().normalize();
    private static final String GROUP = "normalize-service";
    private static final String ADMIN_TOKEN = "scale-out-" + UUID.randomUUID();
    /**
     * Partitions per raw topic: as many as the consumers two processes run per channel (the normalizer's
     * {@code concurrency} copies, 3), so that both get partitions; with devstack's 3, one process's copies
     * may hold them all and the other idle.
     */
    private static final int RAW_PARTITIONS = 6;
    private static final Duration STORED_WITHIN = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ScaleOutStream STREAM = ScaleOutStream.generate(13, 1100, 320);
    private static final int SHOWN = 25;
    /** Starts, stops, the replay and the paced producer run beside the test thread. */
    private static final ExecutorService BACKGROUND = Executors.newCachedThreadPool();

    private static Path data;
    private static DevStack stack;
    private static Admin admin;
    private static final Map<String, ServiceProcess> normalizers = new LinkedHashMap<>();
    /** Everything sent to the raw topics so far, in order. */
    private static final List<ScaleOutStream.Event> produced = new ArrayList<>();

    @BeforeAll
    static void startStackAndTwoNormalizers() throws Exception {
        data = DataDirs.createTemporary("levain-scale-out-it-");
        stack = DevStack.start(data, 0, 0, false);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers()));
        admin.createPartitions(Topics.RAW.stream().collect(Collectors.toMap(topic -> topic,
                topic -> NewPartitions.increaseTo(RAW_PARTITIONS)))).all().get();
        start("a", "b");
        // The catalog comes first, so that every sale line is costed when written (COGS in the rollups).
        produce(STREAM.catalog(), 0);
        await().atMost(STORED_WITHIN).until(() -> landed() == produced.size());
    }

    @AfterAll
    static void stopEverything() {
        stopNormalizers();
        BACKGROUND.shutdown();
        if (admin != null) {
            admin.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (data != null) {
            keepLogs();
            DataDirs.delete(data);
        }
    }

    @Test
    @Order(1)
    void twoProcessesAndAReplayAtOnceEndInTheModelOneProcessMakesOfTheStream() throws Exception {
        awaitPartitionsShared("a", "b");
        List<ScaleOutStream.Event> slice = STREAM.firstSlice();
        int half = slice.size() / 2;
        long start = System.nanoTime();

        Set<TopicPartition> used = new HashSet<>(produce(slice.subList(0, half), 0));
        await().atMost(STORED_WITHIN).until(() -> landedSince(slice.get(0).receivedAt()) >= half / 10);
        CompletableFuture<JsonNode> replay = CompletableFuture.supplyAsync(() -> replayEverything(normalizers.get("a")),
                BACKGROUND);
        used.addAll(produce(slice.subList(half, slice.size()), 0));
        assertThat(used).as("the stream reaches every partition of every raw topic").containsAll(rawPartitions());

        await().atMost(STORED_WITHIN).pollInterval(Duration.ofMillis(500)).until(() -> replay.isDone() && lag() == 0);
        log("%d events stored by two processes and a replay in %.1f s", slice.size(), seconds(start));
        assertThat(replay.get().get("rejected").asLong()).as("rejected by the replay").isZero();
        assertThat(replay.get().get("events").asLong()).as("events the replay went through").isPositive();
        Model scaledOut = model("two processes and a replay");

        assertSameModelAndSound(scaledOut, singleProcessModel());
    }

    @Test
    @Order(2)
    void aProcessKilledMidBatchAndRestartedStillEndsInTheModelOneProcessMakes() throws Exception {
        start(Stream.of("a", "b").filter(name -> !normalizers.containsKey(name)).toArray(String[]::new));
        awaitPartitionsShared("a", "b");
        List<ScaleOutStream.Event> slice = STREAM.secondSlice();
        Instant sliceStart = slice.get(0).receivedAt();
        long start = System.nanoTime();

        // Sent over a few seconds, so that both processes are consuming when one is killed, however fast they are.
        CompletableFuture<Set<TopicPartition>> till = CompletableFuture.supplyAsync(() -> produce(slice, 300), BACKGROUND);
        await().atMost(STORED_WITHIN).until(() -> landedSince(sliceStart) >= slice.size() / 4);
        normalizers.remove("b").kill();
        long storedAtKill = landedSince(sliceStart);
        log("b killed (SIGKILL) with %d of %d events stored", storedAtKill, slice.size());
        start("b");
        till.get(STORED_WITHIN.toSeconds(), TimeUnit.SECONDS);
        assertThat(storedAtKill).as("events stored when b was killed, of the slice").isLessThan(slice.size());

        await().atMost(STORED_WITHIN).pollInterval(Duration.ofMillis(500)).until(() -> lag() == 0);
        log("%d events stored through a SIGKILL and a restart in %.1f s", slice.size(), seconds(start));
        Model afterKill = model("a SIGKILL and a restart");

        assertSameModelAndSound(afterKill, singleProcessModel());
    }

    /** A model by natural keys ({@link ModelSnapshot}), and per check what in it breaks a rule (nothing, when sound). */
    private record Model(String name, Map<String, List<String>> rows, Map<String, List<String>> problems) {
    }

    /**
     * Reads the model and checks what must hold of any model the stream leaves: nothing lost (every record
     * landed, every sale and refund at its last version, customers exactly as the records tie identities
     * together), nothing rejected or dead-lettered (no deadlock or serialization failure got through), every
     * rollup equal to its recomputation from the rows.
     */
    private static Model model(String name) throws SQLException {
        ScaleOutStream.Expected expected = ScaleOutStream.expected(produced);
        KafkaTestClient kafka = new KafkaTestClient(stack.kafka().bootstrapServers());
        Map<String, List<String>> problems = new LinkedHashMap<>();
        try (Connection db = database()) {
            long landed = landed();
            problems.put("raw events landed, of those produced",
                    landed == produced.size() ? List.of() : List.of(landed + " of " + produced.size()));
            problems.put("rejected events", ModelSnapshot.limited(rows(db, "SELECT reason FROM core.rejected_event"), SHOWN));
            for (String topic : Topics.RAW) {
                problems.put(Topics.deadLetter(topic), ModelSnapshot.limited(kafka.readAll(Topics.deadLetter(topic)).stream()
                        .map(r -> r.key() + ": " + header(r.headers().lastHeader(CloudEvents.DLQ_REASON_HEADER)))
                        .toList(), SHOWN));
            }
            problems.put("sales at their last version (source|id -> version|status|net)", ModelSnapshot.differences(
                    pairs(expected.sales()), pairs(ModelSnapshot.sales(db)), "the stream", "the model", SHOWN));
            problems.put("refunds (id -> sale|version|status|linked)", ModelSnapshot.differences(
                    pairs(expected.refunds()), pairs(ModelSnapshot.refunds(db)), "the stream", "the model", SHOWN));
            problems.put("customers, each the identities the records tie together", ModelSnapshot.differences(
                    expected.customers(), ModelSnapshot.customers(db), "the stream", "the model", SHOWN));
            ModelSnapshot.disagreements(db).forEach((check, rows) -> problems.put(check, ModelSnapshot.limited(rows, SHOWN)));
            return new Model(name, ModelSnapshot.take(db), problems);
        }
    }

    /**
     * The model one process makes of everything landed so far: both stopped, the model emptied (all of schema
     * core but the landing zone, rejections and stores), one started alone with nothing left to consume, and
     * one replay of everything through its admin API, which runs its pages one after the other.
     */
    private static Model singleProcessModel() throws SQLException {
        long start = System.nanoTime();
        stopNormalizers();
        emptyModel();
        start("a");
        JsonNode outcome = replayEverything(normalizers.get("a"));
        assertThat(outcome.get("events").asLong()).as("events replayed, of those landed").isEqualTo(landed());
        assertThat(outcome.get("rejected").asLong()).as("rejected by the single replay").isZero();
        log("model rebuilt by one process from %d landed events in %.1f s", landed(), seconds(start));
        return model("one process");
    }

    /** Both models are sound, and {@code actual} holds row for row what {@code reference} does. */
    private static void assertSameModelAndSound(Model actual, Model reference) {
        SoftAssertions soft = new SoftAssertions();
        for (Model model : List.of(actual, reference)) {
            model.problems().forEach((check, rows) -> soft.assertThat(rows).as("%s: %s", model.name(), check).isEmpty());
        }
        reference.rows().forEach((part, rows) -> soft.assertThat(ModelSnapshot.differences(rows, actual.rows().get(part),
                reference.name(), actual.name(), SHOWN)).as("%s = %s: %s (%d rows)", actual.name(), reference.name(), part,
                rows.size()).isEmpty());
        soft.assertAll();
    }

    // ---- Processes ------------------------------------------------------------------------------------

    /**
     * What normalizer {@code name} is started with: the stack, the store master data and an admin token as
     * operators give them, consumers named after the process, and that fail over in seconds rather than 45.
     */
    private static Map<String, String> normalizerEnvironment(String name) {
        StringBuilder config = new StringBuilder("# Written by NormalizerScaleOutIT\n").append(ScaleOutStream.storeProperties());
        for (String channel : List.of("raw-pos-in", "raw-crm-in", "raw-inventory-in")) {
            String prefix = "mp.messaging.incoming." + channel + ".";
            config.append(prefix).append("client-id-prefix=").append(clientIdPrefix(name)).append('\n')
                    .append(prefix).append("session.timeout.ms=6000\n")
                    .append(prefix).append("heartbeat.interval.ms=1000\n")
                    .append(prefix).append("auto.commit.interval.ms=1000\n");
        }
        Path file = data.resolve("normalize-" + name + ".properties");
        try {
            Files.writeString(file, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> environment = new HashMap<>(stack.serviceEnvironment());
        environment.put("QUARKUS_CONFIG_LOCATIONS", file.toUri().toString());
        environment.put("LEVAIN_NORMALIZE_ADMIN_TOKENS", ADMIN_TOKEN);
        return environment;
    }

    private static String clientIdPrefix(String name) {
        return "normalizer-" + name + "-";
    }

    /** Starts these normalizers side by side, each with its own log and pid directories. */
    private static void start(String... names) {
        Map<String, CompletableFuture<ServiceProcess>> starting = new LinkedHashMap<>();
        for (String name : names) {
            starting.put(name, CompletableFuture.supplyAsync(() -> ServiceProcess.start(HOME, Service.NORMALIZE,
                    Ports.free(), normalizerEnvironment(name), data.resolve("logs-" + name), data.resolve("run-" + name)),
                    BACKGROUND));
        }
        starting.forEach((name, process) -> normalizers.put(name, process.join()));
    }

    /** Stops every running normalizer (SIGTERM: a graceful shutdown) side by side; each takes seconds to leave its group. */
    private static void stopNormalizers() {
        List<CompletableFuture<Void>> stopping = normalizers.values().stream()
                .map(process -> CompletableFuture.runAsync(process::close, BACKGROUND)).toList();
        normalizers.clear();
        stopping.forEach(CompletableFuture::join);
    }

    /** Waits until every raw partition is assigned, and each of these processes holds partitions of every raw topic. */
    private static void awaitPartitionsShared(String... names) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).describedGroups().get(GROUP).get();
            Set<TopicPartition> assigned = new HashSet<>();
            Map<String, Set<String>> topicsByProcess = new HashMap<>();
            for (MemberDescription member : group.members()) {
                Set<TopicPartition> partitions = member.assignment().topicPartitions();
                assigned.addAll(partitions);
                Stream.of(names).filter(name -> member.clientId().startsWith(clientIdPrefix(name))).forEach(name ->
                        partitions.forEach(p -> topicsByProcess.computeIfAbsent(name, n -> new HashSet<>()).add(p.topic())));
            }
            return assigned.containsAll(rawPartitions()) && Stream.of(names)
                    .allMatch(name -> topicsByProcess.getOrDefault(name, Set.of()).containsAll(Topics.RAW));
        });
    }

    /** Replays every landed raw event through a normalizer's admin API; returns its outcome once it is done. */
    private static JsonNode replayEverything(ServiceProcess normalizer) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(normalizer.url() + "/api/v1/normalize/replay"))
                .timeout(STORED_WITHIN).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("replay: %s", response.body()).isEqualTo(200);
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void keepLogs() {
        try {
            ProcessLogs.keep(NormalizerScaleOutIT.class, data,
                    file -> file.getParent().getFileName().toString().startsWith("logs-"));
        } catch (IOException e) {
            log("could not keep the normalizers' logs: %s", e);
        }
    }

    // ---- Kafka ----------------------------------------------------------------------------------------

    /**
     * Sends {@code events} in order, {@code perSecond} at most (0: as fast as the broker takes them), and
     * returns the partitions they went to.
     */
    private static Set<TopicPartition> produce(List<ScaleOutStream.Event> events, int perSecond) {
        synchronized (produced) {
            produced.addAll(events);
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            long begin = System.nanoTime();
            for (int i = 0; i < events.size(); i++) {
                if (perSecond > 0) {
                    LockSupport.parkNanos(begin + i * 1_000_000_000L / perSecond - System.nanoTime());
                }
                ScaleOutStream.Event event = events.get(i);
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(event.topic(), event.key(), event.payload());
                event.headers().forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
                sent.add(producer.send(record));
            }
            producer.flush();
            Set<TopicPartition> partitions = new HashSet<>();
            for (Future<RecordMetadata> future : sent) {
                RecordMetadata metadata = future.get(30, TimeUnit.SECONDS);
                partitions.add(new TopicPartition(metadata.topic(), metadata.partition()));
            }
            return partitions;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("The broker did not take the stream", e);
        }
    }

    private static Set<TopicPartition> rawPartitions() throws ExecutionException, InterruptedException {
        return admin.describeTopics(Topics.RAW).allTopicNames().get().values().stream()
                .flatMap(topic -> topic.partitions().stream().map(p -> new TopicPartition(topic.name(), p.partition())))
                .collect(Collectors.toSet());
    }

    /** Records of the raw topics the normalizers' group has not committed yet. */
    private static long lag() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        rawPartitions().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        long lag = 0;
        for (var end : admin.listOffsets(latest).all().get().entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            lag += end.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return lag;
    }

    // ---- Database ---------------------------------------------------------------------------------------

    private static Connection database() throws SQLException {
        Connection connection = DriverManager.getConnection(stack.postgres().jdbcUrl(), PostgresServer.SUPERUSER,
                PostgresServer.PASSWORD);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TIME ZONE 'UTC'");
        }
        return connection;
    }

    private static long landed() throws SQLException {
        try (Connection db = database()) {
            return Long.parseLong(rows(db, "SELECT count(*) FROM core.raw_event").get(0));
        }
    }

    private static long landedSince(Instant receivedAt) throws SQLException {
        try (Connection db = database()) {
            return Long.parseLong(rows(db, "SELECT count(*) FROM core.raw_event WHERE received_at >= '"
                    + receivedAt + "'").get(0));
        }
    }

    /** Empties every table of schema core but the landing zone, the rejections, the stores and Flyway's history. */
    private static void emptyModel() throws SQLException {
        try (Connection db = database(); Statement statement = db.createStatement()) {
            List<String> tables = rows(db, """
                    SELECT 'core.' || tablename FROM pg_tables WHERE schemaname = 'core'
                    AND tablename NOT IN ('raw_event', 'rejected_event', 'store', 'flyway_schema_history')""");
            statement.execute("TRUNCATE " + String.join(", ", tables) + " CASCADE");
        }
    }

    private static List<String> rows(Connection db, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = db.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }

    private static String header(org.apache.kafka.common.header.Header header) {
        return header == null ? "no reason" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static List<String> pairs(Map<String, String> map) {
        return map.entrySet().stream().map(e -> e.getKey() + " -> " + e.getValue()).toList();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.printf("[NormalizerScaleOutIT] " + format + "%n", args);
    }
}
