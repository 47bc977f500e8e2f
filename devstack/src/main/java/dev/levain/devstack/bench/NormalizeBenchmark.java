package dev.levain.devstack.bench;

import dev.levain.devstack.Cli;
import dev.levain.devstack.DataDirs;
import dev.levain.devstack.DevStack;
import dev.levain.devstack.simulator.PanPanSales;
import dev.levain.events.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code ./levain bench}: end-to-end speed of the normalizer on this machine, everything co-located (broker,
 * database, services, load generator), next to two baselines measured in the same run on the same sales: a raw
 * Kafka produce of the events and a raw PostgreSQL {@code COPY} of their rows. Flat out with 1, 2, ... instances
 * of normalize-service in one consumer group, each measurement on a fresh batch of sales, with where the CPU went;
 * optionally p50/p99 latency at a fixed offered rate, and the signed HTTP edge of ingest-service under load
 * ({@link IngestLoad}). Prints figures and ratios; asserts nothing.
 *
 * <p>Options: {@code --events N} per measurement (20000), {@code --warmup N} events normalized before each
 * measurement and not measured (5000), {@code --instances N} measured flat out with 1 up to N instances (2),
 * {@code --partitions P} of {@code levain.raw.pos} (6, as deployed), {@code --rate [R]} adds a measurement at R
 * events/s offered (2000 when no R), {@code --via-ingest} adds the ingest measurements ({@code --in-flight N}
 * requests, 64; {@code --batch-size N} sales per batch, 100), {@code --keep-data} keeps the data directory and
 * the services' logs.
 */
public final class NormalizeBenchmark {

    static final double TARGET_EVENTS_PER_SECOND = 10_000;
    static final double TARGET_P99_MILLIS = 500;
    private static final int DEFAULT_RATE = 2_000;
    // normalize-service's concurrency on raw-pos-in (application.properties).
    private static final int CONSUMERS_PER_INSTANCE = 3;
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Duration STALLED = Duration.ofSeconds(60);
    private static final Duration REBALANCE = Duration.ofSeconds(60);
    private static final Duration ANNOUNCED = Duration.ofSeconds(10);

    /** The command line, read. */
    record Settings(int events, int warmup, int instances, int partitions, int rate, boolean viaIngest, int inFlight,
                    int batchSize) {

        static Settings of(Map<String, String> options) {
            String rate = options.getOrDefault("rate", "0");
            return new Settings(number(options, "events", 20_000), number(options, "warmup", 5_000),
                    Math.max(1, number(options, "instances", 2)), number(options, "partitions", 6),
                    rate.equals("true") ? DEFAULT_RATE : Integer.parseInt(rate), options.containsKey("via-ingest"),
                    number(options, "in-flight", 64), number(options, "batch-size", 100));
        }

        private static int number(Map<String, String> options, String name, int otherwise) {
            return Integer.parseInt(options.getOrDefault(name, String.valueOf(otherwise)).replace("_", ""));
        }
    }

    /** One flat-out measurement. */
    private record Row(int instances, double eventsPerSecond, double linesPerSecond, CpuSampler.Usage usage) {
    }

    private final Path home;
    private final Path data;
    private final Settings settings;
    private final DevStack stack;
    private final SalesProbe probe;
    private final NormalizerInstances normalizers;
    private final PanPanSales generator = new PanPanSales(new Random(42));
    // One producer and one sending thread for the whole run: CpuSampler counts threads alive across a measurement.
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-producer"));
    private final KafkaProducer<String, byte[]> producer;
    private final OffsetDateTime firstSale = OffsetDateTime.now(PARIS);
    private int salesMade;
    private int consumersPerInstance;

    private NormalizeBenchmark(Path home, Path data, Settings settings, DevStack stack, SalesProbe probe,
                               NormalizerInstances normalizers) {
        this.home = home;
        this.data = data;
        this.settings = settings;
        this.stack = stack;
        this.probe = probe;
        this.normalizers = normalizers;
        this.producer = Baselines.producer(stack);
    }

    public static void main(String[] args) throws Exception {
        DevStack.quietLogs();
        // The broker logs an ERROR for each partition added to levain.raw.pos ("Expected partition ... to exist").
        System.setProperty("org.slf4j.simpleLogger.log.state.change.logger", "off");
        Map<String, String> options = Cli.options(args);
        Settings settings = Settings.of(options);
        Path home = Path.of(System.getProperty("levain.home", ".")).toAbsolutePath().normalize();
        System.out.printf("Levain normalizer benchmark on %d cores; load average at the start %s (1, 5, 15 min)%n",
                CpuSampler.cores(), CpuSampler.loadAverage());
        Path data = DataDirs.createTemporary("levain-bench-");
        try (DevStack stack = DevStack.start(data, 0, 0, true);
             SalesProbe probe = new SalesProbe(stack);
             NormalizerInstances normalizers = new NormalizerInstances(home, data, stack.serviceEnvironment())) {
            // Ctrl-C: the service JVMs and the database run as processes of their own and would outlive this one.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                ProcessHandle.current().children().forEach(ProcessHandle::destroy);
                stack.close();
            }, "bench-stop"));
            NormalizeBenchmark benchmark = new NormalizeBenchmark(home, data, settings, stack, probe, normalizers);
            try {
                benchmark.run();
            } finally {
                benchmark.sender.shutdownNow();
                benchmark.producer.close();
            }
        } finally {
            System.out.printf("%nLoad average at the end %s (1, 5, 15 min) on %d cores%n", CpuSampler.loadAverage(),
                    CpuSampler.cores());
            if (options.containsKey("keep-data")) {
                System.out.println("Data and service logs kept in " + data);
            } else {
                DataDirs.delete(data);
            }
        }
        System.exit(0);
    }

    private void run() throws Exception {
        probe.useBrokerTimestamps();
        int partitions = probe.ensureRawPartitions(settings.partitions());
        List<PanPanSales.Sale> first = freshSales(settings.events());
        int lines = lines(first);
        System.out.printf("%,d sale events per measurement (%,d lines, %.1f per sale), each after %,d warm-up events;"
                        + " %s has %d partitions%n%n", first.size(), lines, (double) lines / first.size(), settings.warmup(),
                Topics.RAW_POS, partitions);
        Baselines.Figures baselines = Baselines.measure(stack, first);

        List<Row> rows = new ArrayList<>();
        for (int instances = 1; instances <= settings.instances(); instances++) {
            normalizers.startOne();
            rows.add(flatOut(instances == 1 ? first : freshSales(settings.events()), partitions, baselines));
        }
        printScaling(rows, baselines, partitions);
        if (settings.rate() > 0) {
            normalizers.keepOnly(1);
            atRate(freshSales(settings.events()), settings.rate(), partitions, baselines);
        }
        if (settings.viaIngest()) {
            normalizers.keepOnly(1);
            probe.awaitSpread(Math.min(consumersPerInstance, partitions), partitions, REBALANCE);
            new IngestLoad(home, data, stack, probe, new IngestLoad.Settings(settings.events(), settings.warmup(),
                    settings.inFlight(), settings.batchSize(), settings.rate()), this::freshSales, baselines)
                    .run(cpuGroups());
        }
    }

    /** Sales never sent before (new sale ids), one microsecond apart. */
    private List<PanPanSales.Sale> freshSales(int count) {
        List<PanPanSales.Sale> sales = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sales.add(generator.next(firstSale.plusNanos(1000L * salesMade++), 3, 5));
        }
        return sales;
    }

    /**
     * All instances running are warmed up on a batch that is not measured (which also settles the group's
     * rebalance), then one batch is produced flat out while they normalize it; the time runs from the first send
     * to the broker's append of the batch's last {@code levain.sales.recorded}.
     */
    private Row flatOut(List<PanPanSales.Sale> sales, int partitions, Baselines.Figures baselines) throws Exception {
        int instances = normalizers.count();
        int consumers = Math.min(instances * consumersPerInstance, partitions);
        probe.awaitSpread(consumers, partitions, REBALANCE);
        warmUp();
        SalesProbe.Spread spread = probe.awaitSpread(consumers, partitions, REBALANCE);
        if (instances == 1) {
            consumersPerInstance = spread.consumers().size();
        }
        System.out.printf("%nFlat out, %d normalize-service instance%s (%s partitions per consumer: %s)%n", instances,
                instances == 1 ? "" : "s", Topics.RAW_POS, spread);
        Measured measured = produceAndAwait(sales, 0);
        double seconds = measured.seconds();
        double eventsPerSecond = measured.stored() / seconds;
        double linesPerSecond = eventsPerSecond * lines(sales) / sales.size();
        System.out.printf("  %,.0f events/s, %,.0f lines/s (%,d events in %.2f s, first send to last announcement%s)%n",
                eventsPerSecond, linesPerSecond, measured.stored(), seconds, measured.timedByAnnouncements() ? ""
                        : "; timed by polling: not every sale was announced");
        System.out.printf("  = %s; target (DESIGN.md §7) %,.0f events/s: %.0f%% reached%n", baselines.ratios(eventsPerSecond),
                TARGET_EVENTS_PER_SECOND, 100 * eventsPerSecond / TARGET_EVENTS_PER_SECOND);
        System.out.print(measured.usage().table("  "));
        return new Row(instances, eventsPerSecond, linesPerSecond, measured.usage());
    }

    /** At a fixed offered rate: p50/p99 from ingest's receipt (ce_receivedat) to the broker's ack of the announcement. */
    private void atRate(List<PanPanSales.Sale> sales, int rate, int partitions, Baselines.Figures baselines)
            throws Exception {
        probe.awaitSpread(Math.min(consumersPerInstance, partitions), partitions, REBALANCE);
        warmUp();
        System.out.printf("%nAt %,d events/s offered, %d normalize-service instance (%,d events)%n", rate,
                normalizers.count(), sales.size());
        Measured measured = produceAndAwait(sales, rate);
        List<Long> nanos = new ArrayList<>();
        for (PanPanSales.Sale sale : sales) {
            SalesProbe.Announcement announcement = measured.announced().get(sale.saleId());
            if (announcement != null) {
                nanos.add((announcement.atMillis() - announcement.receivedAtMillis()) * 1_000_000);
            }
        }
        Latencies latency = Latencies.of(nanos.stream().mapToLong(Long::longValue).toArray());
        double eventsPerSecond = measured.stored() / measured.seconds();
        System.out.printf("  %,.0f events/s achieved = %s%n", eventsPerSecond, baselines.ratios(eventsPerSecond));
        System.out.printf("  latency received -> committed and announced (broker's append time of levain.sales.recorded):"
                + " p50 %.0f ms, p99 %.0f ms, max %.0f ms over %,d sales%n", latency.p50(), latency.p99(), latency.max(),
                latency.count());
        System.out.printf("  target (DESIGN.md §7) p99 <= %.0f ms at 2,000 events/s: %s%n", TARGET_P99_MILLIS,
                rate != DEFAULT_RATE ? "not this rate" : latency.p99() <= TARGET_P99_MILLIS ? "MET" : "NOT MET");
        System.out.print(measured.usage().table("  "));
    }

    /** What one measured batch gave: sales stored, seconds, each sale's announcement, and where the CPU went. */
    private record Measured(long stored, double seconds, boolean timedByAnnouncements,
                            Map<String, SalesProbe.Announcement> announced, CpuSampler.Usage usage) {
    }

    private Measured produceAndAwait(List<PanPanSales.Sale> sales, int rate) throws Exception {
        long base = probe.storedSales();
        var from = probe.announcementsEnd();
        CpuSampler cpu = new CpuSampler(cpuGroups());
        CpuSampler.Snapshot before = cpu.take();
        long beginMillis = System.currentTimeMillis();
        Future<?> sent = sender.submit(() -> produceRaw(sales, rate));
        long stored = probe.awaitStored(base + sales.size(), base, STALLED, cpu, before) - base;
        long polledNanos = System.nanoTime() - before.nanos();
        sent.get();
        CpuSampler.Usage usage = cpu.between(before, cpu.take());
        Map<String, SalesProbe.Announcement> announced = probe.awaitAnnounced(from,
                sales.stream().map(PanPanSales.Sale::saleId).toList(), ANNOUNCED);
        long last = 0;
        int matched = 0;
        for (PanPanSales.Sale sale : sales) {
            SalesProbe.Announcement announcement = announced.get(sale.saleId());
            if (announcement != null) {
                matched++;
                last = Math.max(last, announcement.atMillis());
            }
        }
        boolean byAnnouncements = matched == sales.size() && last > beginMillis;
        double seconds = byAnnouncements ? (last - beginMillis) / 1e3 : polledNanos / 1e9;
        return new Measured(stored, seconds, byAnnouncements, announced, usage);
    }

    private void warmUp() throws Exception {
        long base = probe.storedSales();
        List<PanPanSales.Sale> warmup = freshSales(settings.warmup());
        produceRaw(warmup, 0);
        probe.awaitStored(base + warmup.size(), base, STALLED, null, null);
    }

    private List<CpuSampler.Group> cpuGroups() {
        List<CpuSampler.Group> groups = new ArrayList<>(normalizers.cpuGroups());
        long postmaster = SalesProbe.postmasterPid(data);
        groups.add(new CpuSampler.Group(CpuSampler.POSTGRES, () -> CpuSampler.withDescendants(postmaster)));
        return groups;
    }

    /** Sends sales to {@code levain.raw.pos} as ingest would (binary CloudEvents), {@code rate} per second or flat out. */
    private void produceRaw(List<PanPanSales.Sale> sales, int rate) {
        long begin = System.nanoTime();
        for (int i = 0; i < sales.size(); i++) {
            if (rate > 0) {
                LockSupport.parkNanos(begin + (long) (i * 1e9 / rate) - System.nanoTime());
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

    private void printScaling(List<Row> rows, Baselines.Figures baselines, int partitions) {
        System.out.printf("%nFlat out by instances (same run; each on its own fresh batch of %,d events)%n", settings.events());
        System.out.printf("  %9s %10s %10s %10s %11s %9s %8s%n", "instances", "events/s", "lines/s", "vs 1 inst.",
                "vs raw Kafka", "vs COPY", "CPU busy");
        double one = rows.get(0).eventsPerSecond();
        for (Row row : rows) {
            System.out.printf("  %9d %,10.0f %,10.0f %10.2f %11.3f %9.3f %7.0f%%%n", row.instances(), row.eventsPerSecond(),
                    row.linesPerSecond(), row.eventsPerSecond() / one, row.eventsPerSecond() / baselines.kafkaPerSecond(),
                    row.eventsPerSecond() / baselines.copyPerSecond(), row.usage().busyPercent());
        }
        if (rows.size() >= 2 && rows.get(1).eventsPerSecond() < 1.1 * one) {
            System.out.print(ScalingVerdict.why(rows.get(0).usage(), rows.get(1).usage(),
                    rows.get(1).eventsPerSecond() / one, partitions));
        }
        System.out.print(ScalingVerdict.onACluster(rows.get(0).usage(), one, partitions, CONSUMERS_PER_INSTANCE));
    }

    private static int lines(List<PanPanSales.Sale> sales) {
        return sales.stream().mapToInt(s -> s.lines().size()).sum();
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
