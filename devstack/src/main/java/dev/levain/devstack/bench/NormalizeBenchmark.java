package dev.levain.devstack.bench;

import dev.levain.devstack.DataDirs;
import dev.levain.devstack.DevStack;
import dev.levain.devstack.Ports;
import dev.levain.devstack.launcher.Service;
import dev.levain.devstack.launcher.ServiceProcess;
import dev.levain.devstack.postgres.PostgresServer;
import dev.levain.devstack.simulator.PanPanSales;
import dev.levain.events.Topics;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.HashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;

/**
 * {@code ./levain bench}: end-to-end speed of the normalizer on this machine, everything
 * co-located (broker, database, service, load generator), with two baselines measured in the same
 * run on the same data: a raw Kafka produce of the events and a raw PostgreSQL {@code COPY} of
 * their rows. Prints figures and ratios; asserts nothing.
 *
 * <p>Options: {@code --events N} (20000), {@code --rate R} events/s offered, 0 for flat out (0),
 * {@code --warmup N} events normalized first and not measured (5000), {@code --keep-data} to keep the
 * data directory and the service's log.
 */
public final class NormalizeBenchmark {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final long TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(15);
    private static final Pattern RECEIVED_AT = Pattern.compile("\"received_at\":\"([^\"]+)\"");

    private final List<PanPanSales.Sale> warmup;
    private final List<PanPanSales.Sale> sales;
    private final DevStack stack;

    private NormalizeBenchmark(List<PanPanSales.Sale> warmup, List<PanPanSales.Sale> sales, DevStack stack) {
        this.warmup = warmup;
        this.sales = sales;
        this.stack = stack;
    }

    public static void main(String[] args) throws Exception {
        DevStack.quietLogs();
        Map<String, String> options = dev.levain.devstack.Cli.options(args);
        int events = Integer.parseInt(options.getOrDefault("events", "20000"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "0"));
        int warmupEvents = Integer.parseInt(options.getOrDefault("warmup", "5000"));
        Path home = Path.of(System.getProperty("levain.home", ".")).toAbsolutePath().normalize();

        PanPanSales generator = new PanPanSales(new Random(42));
        OffsetDateTime start = OffsetDateTime.now(PARIS);
        List<PanPanSales.Sale> all = new ArrayList<>(warmupEvents + events);
        for (int i = 0; i < warmupEvents + events; i++) {
            all.add(generator.next(start.plusNanos(i * 1000L), 3, 5));
        }
        Path data = DataDirs.createTemporary("levain-bench-");
        try (DevStack stack = DevStack.start(data, 0, 0, true)) {
            new NormalizeBenchmark(all.subList(0, warmupEvents), all.subList(warmupEvents, all.size()), stack)
                    .run(home, data, rate);
        } finally {
            if (options.containsKey("keep-data")) {
                System.out.println("Data and service logs kept in " + data);
            } else {
                DataDirs.delete(data);
            }
        }
        System.exit(0);
    }

    private void run(Path home, Path data, int rate) throws Exception {
        int lines = sales.stream().mapToInt(s -> s.lines().size()).sum();
        System.out.printf("Levain normalizer benchmark: %d sale events, %d lines, offered %s, after %d warm-up events%n%n",
                sales.size(), lines, rate == 0 ? "flat out" : rate + " events/s", warmup.size());

        double kafkaRate = produceBaseline();
        double copyRate = copyBaseline();

        try (ServiceProcess normalizer = ServiceProcess.start(home, Service.NORMALIZE, Ports.free(), stack.serviceEnvironment(),
                data.resolve("logs"), data.resolve("run"))) {
            // The JIT and the connection pool warm up on events that are not measured, as a running service would be.
            produceRaw(warmup, 0);
            awaitStored(System.nanoTime(), warmup.size(), false);
            Instant measuredFrom = Instant.now();
            long begin = System.nanoTime();
            Thread producer = new Thread(() -> produceRaw(sales, rate), "bench-producer");
            producer.start();
            long stored = awaitStored(begin, warmup.size() + sales.size(), true) - warmup.size();
            producer.join();
            double seconds = (System.nanoTime() - begin) / 1e9;
            double eventsPerSecond = stored / seconds;
            double[] latency = latencyMillis(measuredFrom);
            System.out.printf("%nEnd to end (raw topic -> sale, lines and rollups committed, sales.recorded acked)%n");
            System.out.printf("  %,.0f events/s, %,.0f lines/s (%d events in %.1f s)%n", eventsPerSecond,
                    eventsPerSecond * lines / sales.size(), stored, seconds);
            System.out.printf("  latency received -> committed and announced: p50 %.0f ms, p99 %.0f ms%n", latency[0], latency[1]);
            System.out.printf("%nRatios (same run, same machine)%n");
            System.out.printf("  end to end / raw Kafka produce : %.3f%n", eventsPerSecond / kafkaRate);
            System.out.printf("  end to end / raw COPY of rows  : %.3f%n", eventsPerSecond / copyRate);
            System.out.printf("  target (DESIGN.md §7)          : 10,000 events/s end to end -> %.1f%% reached%n",
                    eventsPerSecond / 100);
        }
    }

    private double produceBaseline() {
        String topic = "levain.bench.baseline";
        stack.kafka().createTopics(List.of(topic), Map.of());
        long begin = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (PanPanSales.Sale sale : sales) {
                producer.send(new ProducerRecord<>(topic, sale.storeCode() + "/" + sale.saleId(),
                        sale.toJson().getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        double perSecond = sales.size() / ((System.nanoTime() - begin) / 1e9);
        System.out.printf("Baseline: raw Kafka produce (acks=all)  %,.0f events/s%n", perSecond);
        return perSecond;
    }

    /** The same sales and lines, as rows, loaded with COPY into scratch tables: the database's own ceiling. */
    private double copyBaseline() throws SQLException, java.io.IOException {
        StringBuilder saleRows = new StringBuilder();
        StringBuilder lineRows = new StringBuilder();
        for (PanPanSales.Sale sale : sales) {
            saleRows.append(sale.storeCode()).append(',').append(sale.saleId()).append(',')
                    .append(sale.occurredAt()).append(',').append(sale.customerEmail() == null ? "" : sale.customerEmail())
                    .append('\n');
            for (int i = 0; i < sale.lines().size(); i++) {
                PanPanSales.Line line = sale.lines().get(i);
                lineRows.append(sale.saleId()).append(',').append(i + 1).append(',').append(line.sku()).append(',')
                        .append(line.quantity()).append(',').append(line.unitPrice()).append('\n');
            }
        }
        try (Connection connection = database(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS bench");
            statement.execute("CREATE TABLE bench.sale_copy (store text, sale_id text PRIMARY KEY, occurred_at timestamptz, email text)");
            statement.execute("CREATE TABLE bench.line_copy (sale_id text, line_no int, sku text, qty numeric(14,3),"
                    + " unit_price numeric(14,2), PRIMARY KEY (sale_id, line_no))");
            long begin = System.nanoTime();
            var copy = connection.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("COPY bench.sale_copy FROM STDIN (FORMAT csv)", new StringReader(saleRows.toString()));
            copy.copyIn("COPY bench.line_copy FROM STDIN (FORMAT csv)", new StringReader(lineRows.toString()));
            double perSecond = sales.size() / ((System.nanoTime() - begin) / 1e9);
            System.out.printf("Baseline: raw COPY of the same rows      %,.0f events/s (sale + its lines)%n", perSecond);
            statement.execute("DROP SCHEMA bench CASCADE");
            return perSecond;
        }
    }

    private void produceRaw(List<PanPanSales.Sale> sales, int rate) {
        long begin = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < sales.size(); i++) {
                if (rate > 0) {
                    long due = begin + (long) (i * 1e9 / rate);
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                PanPanSales.Sale sale = sales.get(i);
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.RAW_POS,
                        sale.storeCode() + "/" + sale.saleId(), sale.toJson().getBytes(StandardCharsets.UTF_8));
                header(record, "ce_specversion", "1.0");
                header(record, "ce_id", sale.saleId());
                header(record, "ce_type", "levain.raw.pos.sale");
                header(record, "ce_source", "levain/pos-native/" + sale.storeCode());
                header(record, "ce_receivedat", Instant.now().toString());
                producer.send(record);
            }
            producer.flush();
        }
    }

    /**
     * Polls the model until every event is stored, printing as it goes the normalizer's consumer
     * lag on {@code levain.raw.pos} as the broker reports it (end offsets minus committed offsets).
     */
    private long awaitStored(long begin, long target, boolean print) throws Exception {
        long stored = 0;
        long lastPrint = 0;
        try (Connection connection = database(); Statement statement = connection.createStatement();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers()))) {
            while (stored < target && System.nanoTime() - begin < TIMEOUT_NANOS) {
                Thread.sleep(200);
                try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM core.sale")) {
                    rows.next();
                    stored = rows.getLong(1);
                }
                long elapsed = System.nanoTime() - begin;
                if (print && (elapsed - lastPrint > TimeUnit.SECONDS.toNanos(2) || stored == target)) {
                    System.out.printf("  t=%5.1fs stored %,7d  consumer lag %,7d%n", elapsed / 1e9, stored - warmup.size(), lag(admin));
                    lastPrint = elapsed;
                }
            }
        }
        return stored;
    }

    private static long lag(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("normalize-service")
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(Topics.RAW_POS)).allTopicNames().get().get(Topics.RAW_POS).partitions()
                .forEach(p -> latest.put(new TopicPartition(Topics.RAW_POS, p.partition()), OffsetSpec.latest()));
        long lag = 0;
        for (var end : admin.listOffsets(latest).all().get().entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            lag += end.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return lag;
    }

    /**
     * p50 and p99 from ingest's receipt of an event to the broker's acknowledgement of its
     * {@code levain.sales.recorded}, which the normalizer sends only after the sale, its lines and
     * its rollups committed: an upper bound of "received to queryable".
     */
    private double[] latencyMillis(Instant measuredFrom) {
        List<Long> millis = new ArrayList<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.SALES_RECORDED).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (var record : consumer.poll(java.time.Duration.ofSeconds(1))) {
                    var id = record.headers().lastHeader("ce_id");
                    if (id != null && !seen.add(new String(id.value(), StandardCharsets.UTF_8))) {
                        continue;
                    }
                    Matcher received = RECEIVED_AT.matcher(record.value());
                    if (received.find() && !Instant.parse(received.group(1)).isBefore(measuredFrom)) {
                        millis.add(record.timestamp() - Instant.parse(received.group(1)).toEpochMilli());
                    }
                }
            }
        }
        millis.sort(null);
        if (millis.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {millis.get(millis.size() / 2), millis.get(Math.min(millis.size() - 1, (int) (millis.size() * 0.99)))};
    }

    private Connection database() throws SQLException {
        return DriverManager.getConnection(stack.postgres().jdbcUrl(), PostgresServer.SUPERUSER, PostgresServer.PASSWORD);
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
