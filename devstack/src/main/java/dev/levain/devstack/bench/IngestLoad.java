package dev.levain.devstack.bench;

import dev.levain.devstack.DevStack;
import dev.levain.devstack.Ports;
import dev.levain.devstack.launcher.OutsideSystems;
import dev.levain.devstack.launcher.Service;
import dev.levain.devstack.launcher.ServiceProcess;
import dev.levain.devstack.launcher.WebhookSecrets;
import dev.levain.devstack.simulator.PanPanSales;
import dev.levain.devstack.simulator.square.SquareSimulator;
import dev.levain.devstack.simulator.square.SquareWebhook;
import dev.levain.events.signature.SquareSignature;
import dev.levain.events.signature.TimestampedSignature;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code ./levain bench --via-ingest}: the signed HTTP edge under load, with ingest-service configured as
 * {@code levain up} configures it (its secrets and the simulated outside systems) and the normalizer behind it.
 * Sends PanPan's sales as single native webhooks, as native batches and as Square notifications, and reports per
 * kind the accepted requests and sale events per second, p50/p99 of the 2xx answers, and p50/p99 from the send to
 * the sale's announcement on {@code levain.sales.recorded}; next to the generator's own ceiling against
 * {@code /q/health/live} of the same service, measured in the same run.
 */
final class IngestLoad {

    static final double TARGET_BATCH_SALES_PER_SECOND = 10_000;
    static final double TARGET_SINGLES_PER_SECOND = 3_000;
    static final double TARGET_P99_MILLIS = 50;
    static final int TARGET_RATE = 2_000;

    private static final String SALES = "/api/v1/ingest/pos/sales";
    private static final String SQUARE = "/api/v1/ingest/pos/square/webhooks";
    private static final Duration STALLED = Duration.ofSeconds(60);

    /** What to send: sale events per kind, warm-up events, requests in flight, sales per batch, the offered rate. */
    record Settings(int events, int warmup, int inFlight, int batchSize, int rate) {
    }

    /** One kind of load: its requests, how many in flight, the offered rate (0: flat out). */
    private record Kind(String name, List<HttpLoad.Shot> shots, int inFlight, int rate) {
    }

    private final Path home;
    private final Path data;
    private final DevStack stack;
    private final SalesProbe probe;
    private final Settings settings;
    private final IntFunction<List<PanPanSales.Sale>> freshSales;
    private final Baselines.Figures baselines;
    private final WebhookSecrets secrets = WebhookSecrets.random();

    IngestLoad(Path home, Path data, DevStack stack, SalesProbe probe, Settings settings,
               IntFunction<List<PanPanSales.Sale>> freshSales, Baselines.Figures baselines) {
        this.home = home;
        this.data = data;
        this.stack = stack;
        this.probe = probe;
        this.settings = settings;
        this.freshSales = freshSales;
        this.baselines = baselines;
    }

    /** Starts the simulated outside systems and ingest-service, runs every kind, stops them. */
    void run(List<CpuSampler.Group> others) throws Exception {
        int port = Ports.free();
        String url = "http://127.0.0.1:" + port;
        System.out.printf("%nVia ingest-service (HTTP/1.1 keep-alive connections, one request in flight on each: %d"
                        + " connections, %d for batches of %d; native requests signed when sent, Square notifications as the"
                        + " simulator signed them)%n", settings.inFlight(), batchInFlight(), settings.batchSize());
        System.out.printf("  send -> announced: per sale id, from the wall-clock time its request was written to the broker's"
                + " append time of the sale's first levain.sales.recorded (one machine, one clock)%n");
        try (OutsideSystems outside = OutsideSystems.start(secrets, url);
             ServiceProcess ingest = ServiceProcess.start(home, Service.INGEST, port, environment(outside),
                     data.resolve("logs"), data.resolve("run"));
             HttpLoad load = new HttpLoad(URI.create(url), settings.inFlight())) {
            List<CpuSampler.Group> groups = new ArrayList<>(others);
            groups.add(new CpuSampler.Group("ingest-service", () -> List.of(ingest.pid())));
            CpuSampler cpu = new CpuSampler(groups);
            SquareSimulator square = outside.square();

            // The JIT, the connection pools and the Square client warm up on requests that are not measured.
            int warm = Math.max(4, settings.warmup() / 2);
            long base = probe.storedSales();
            long accepted = 0;
            for (Kind kind : List.of(singles(url, warm, 0), batches(url, warm), squareNotifications(url, square, warm / 4))) {
                accepted += load.run(kind.shots(), kind.inFlight(), kind.rate()).sentAtMillis().size();
            }
            probe.awaitStored(base + accepted, base, STALLED, null, null);
            System.out.printf("  warmed up: %,d sales sent as singles, in batches and as Square notifications, not measured%n",
                    accepted);

            HttpLoad.Outcome ceiling = ceiling(load, url, cpu);
            double ceilingPerSecond = ceiling.okPerSecond();
            measure(load, cpu, singles(url, settings.events(), 0), ceilingPerSecond);
            measure(load, cpu, batches(url, settings.events()), ceilingPerSecond);
            int rate = settings.rate() > 0 ? settings.rate() : TARGET_RATE;
            measure(load, cpu, singles(url, Math.max(settings.events(), rate * 5), rate), ceilingPerSecond);
            measure(load, cpu, squareNotifications(url, square, Math.max(1, settings.events() / 4)), ceilingPerSecond);
        }
    }

    /**
     * ingest-service's environment as {@code levain up} gives it ({@link WebhookSecrets#ingestEnvironment()},
     * {@link OutsideSystems#ingestEnvironment()}), except that Square reconciliation waits a day: it would otherwise
     * find the benchmark's orders in the simulator and publish them itself, ahead of their notifications.
     */
    private Map<String, String> environment(OutsideSystems outside) {
        Map<String, String> environment = new LinkedHashMap<>(stack.serviceEnvironment());
        environment.putAll(secrets.ingestEnvironment());
        environment.putAll(outside.ingestEnvironment());
        environment.put("LEVAIN_INGEST_POS_SQUARE_RECONCILE_EVERY", "24h");
        return environment;
    }

    /** The generator flat out against {@code /q/health/live}: the most requests per second it can get answered here. */
    private HttpLoad.Outcome ceiling(HttpLoad load, String url, CpuSampler cpu) throws Exception {
        byte[] live = HttpLoad.request("GET", URI.create(url + "/q/health/live"), Map.of(), null);
        List<HttpLoad.Shot> shots = new ArrayList<>();
        for (int i = 0; i < Math.max(5_000, settings.events()); i++) {
            shots.add(new HttpLoad.Shot(List.of(), () -> live));
        }
        CpuSampler.Snapshot before = cpu.take();
        HttpLoad.Outcome outcome = load.run(shots, settings.inFlight(), 0);
        CpuSampler.Usage usage = cpu.between(before, cpu.take());
        System.out.printf("%n  Generator ceiling: GET /q/health/live flat out, %d in flight: %,.0f requests/s answered 2xx"
                        + " (p50 %.1f ms, p99 %.1f ms; non-2xx: %s)%n", settings.inFlight(), outcome.okPerSecond(),
                outcome.okLatency().p50(), outcome.okLatency().p99(), outcome.failures());
        double micros = microsPerRequest(usage, outcome);
        System.out.printf("    the generator used %.2f cores (%.0f µs of CPU per request: alone it would offer about %,.0f"
                        + " requests/s per core), ingest-service %.2f cores; a webhook kind that reaches far less than this"
                        + " ceiling, with the generator's connections waiting for answers, is held back by the service%n",
                usage.cores(CpuSampler.GENERATOR), micros, 1e6 / micros, usage.cores("ingest-service"));
        return outcome;
    }

    private void measure(HttpLoad load, CpuSampler cpu, Kind kind, double ceilingPerSecond) throws Exception {
        long base = probe.storedSales();
        var from = probe.announcementsEnd();
        CpuSampler.Snapshot before = cpu.take();
        HttpLoad.Outcome outcome = load.run(kind.shots(), kind.inFlight(), kind.rate());
        CpuSampler.Usage usage = cpu.between(before, cpu.take());
        probe.awaitStored(base + outcome.sentAtMillis().size(), base, STALLED, null, null);
        Map<String, SalesProbe.Announcement> announced = probe.awaitAnnounced(from, outcome.sentAtMillis().keySet(),
                Duration.ofSeconds(10));

        System.out.printf("%n  %s: %,d requests in %.1f s%n", kind.name(), outcome.requests(), outcome.seconds());
        System.out.printf("    accepted %,.0f requests/s, %,.0f sale events/s%s; non-2xx: %s%n", outcome.okPerSecond(),
                outcome.salesPerSecond(), outcome.reportedAccepted() > 0
                        ? String.format(" (ingest's answers counted %,d sales accepted)", outcome.reportedAccepted()) : "",
                outcome.failures());
        System.out.printf("    2xx answer: p50 %.1f ms, p99 %.1f ms, max %.0f ms%s%n", outcome.okLatency().p50(),
                outcome.okLatency().p99(), outcome.okLatency().max(), kind.rate() > 0 ? " (from each request's due time)" : "");
        System.out.printf("    send -> announced on levain.sales.recorded: %s%n", sendToAnnounced(outcome, announced));
        System.out.printf("    ratios: sale events/s / raw Kafka produce %.3f, / raw COPY %.3f; requests/s / generator ceiling %.2f%n",
                outcome.salesPerSecond() / baselines.kafkaPerSecond(), outcome.salesPerSecond() / baselines.copyPerSecond(),
                outcome.okPerSecond() / ceilingPerSecond);
        System.out.printf("    generator: its connections spent %.0f%% of their time waiting for answers; it used %.2f cores"
                        + " (%.0f µs of CPU per request)%n", 100 * outcome.waiting(), usage.cores(CpuSampler.GENERATOR),
                microsPerRequest(usage, outcome));
        System.out.print(target(kind, outcome));
        System.out.print(usage.table("    "));
    }

    /** The generator's CPU per request, from its threads' CPU time. */
    private static double microsPerRequest(CpuSampler.Usage usage, HttpLoad.Outcome outcome) {
        return usage.cores(CpuSampler.GENERATOR) * usage.seconds() * 1e6 / outcome.requests();
    }

    /**
     * Each sale matched by its id: from the wall-clock time its request (its first one answered 2xx) was sent to
     * the broker's append time of its first {@code levain.sales.recorded}; same machine, same clock.
     */
    private static String sendToAnnounced(HttpLoad.Outcome outcome, Map<String, SalesProbe.Announcement> announced) {
        List<Long> nanos = new ArrayList<>();
        outcome.sentAtMillis().forEach((sale, sentAt) -> {
            SalesProbe.Announcement announcement = announced.get(sale);
            if (announcement != null) {
                nanos.add((announcement.atMillis() - sentAt) * 1_000_000);
            }
        });
        Latencies latencies = Latencies.of(nanos.stream().mapToLong(Long::longValue).toArray());
        return String.format("p50 %.0f ms, p99 %.0f ms, max %.0f ms (%,d of %,d accepted sales announced; the normalizer"
                        + " runs meanwhile)", latencies.p50(), latencies.p99(), latencies.max(), latencies.count(),
                outcome.sentAtMillis().size());
    }

    private static String target(Kind kind, HttpLoad.Outcome outcome) {
        if (kind.name().startsWith("native batches")) {
            return targetLine(">= 10,000 sale events/s accepted in batches", outcome.salesPerSecond() / TARGET_BATCH_SALES_PER_SECOND);
        }
        if (kind.name().startsWith("native singles") && kind.rate() == 0) {
            return targetLine(">= 3,000 single signed webhooks/s", outcome.okPerSecond() / TARGET_SINGLES_PER_SECOND);
        }
        if (kind.name().startsWith("native singles") && kind.rate() == TARGET_RATE) {
            return targetLine("p99 of the 2xx <= 50 ms at 2,000/s", TARGET_P99_MILLIS / outcome.okLatency().p99());
        }
        return "";
    }

    private static String targetLine(String target, double reached) {
        return String.format("    target (DESIGN.md §7) %s: %s (%.0f%%)%n", target, reached >= 1 ? "MET" : "NOT MET", 100 * reached);
    }

    private Kind singles(String url, int count, int rate) {
        URI endpoint = URI.create(url + SALES);
        List<HttpLoad.Shot> shots = new ArrayList<>();
        for (PanPanSales.Sale sale : freshSales.apply(count)) {
            shots.add(new HttpLoad.Shot(List.of(sale.saleId()), signed(endpoint, sale.toJson())));
        }
        String name = rate == 0 ? "native singles, flat out" : String.format("native singles at %,d/s offered", rate);
        return new Kind(name, shots, settings.inFlight(), rate);
    }

    private Kind batches(String url, int count) {
        URI endpoint = URI.create(url + SALES + "/batch");
        List<HttpLoad.Shot> shots = new ArrayList<>();
        List<PanPanSales.Sale> sales = freshSales.apply(count);
        for (int from = 0; from < sales.size(); from += settings.batchSize()) {
            List<PanPanSales.Sale> batch = sales.subList(from, Math.min(sales.size(), from + settings.batchSize()));
            String body = batch.stream().map(PanPanSales.Sale::toJson).collect(Collectors.joining(",", "{\"sales\": [", "]}"));
            shots.add(new HttpLoad.Shot(batch.stream().map(PanPanSales.Sale::saleId).toList(), signed(endpoint, body)));
        }
        return new Kind(String.format("native batches of %d, flat out", settings.batchSize()), shots, batchInFlight(), 0);
    }

    /**
     * Square's {@code order.created} and {@code payment.created} for each of {@code count} sales made in the
     * simulator, whose own delivery is switched off so that the generator delivers them: ingest then fetches each
     * order from the simulator's Orders API, as from Square's.
     */
    private Kind squareNotifications(String url, SquareSimulator square, int count) {
        URI endpoint = URI.create(url + SQUARE);
        square.dropNextWebhooks(2 * count);
        List<HttpLoad.Shot> shots = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SquareSimulator.Sale sale = square.sell();
            for (SquareWebhook webhook : sale.webhooks()) {
                byte[] request = HttpLoad.request("POST", endpoint, Map.of("Content-Type", "application/json",
                        SquareSignature.HEADER, webhook.signature()), webhook.body());
                shots.add(new HttpLoad.Shot(List.of(sale.orderId()), () -> request));
            }
        }
        return new Kind("Square notifications (order.created + payment.created per sale; ingest fetches each order from"
                + " the simulated Square Orders API before answering), flat out", shots, settings.inFlight(), 0);
    }

    private Supplier<byte[]> signed(URI endpoint, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return () -> HttpLoad.request("POST", endpoint, Map.of("Content-Type", "application/json",
                TimestampedSignature.HEADER, TimestampedSignature.sign(secrets.posNative(), Instant.now(), body)), body);
    }

    private int batchInFlight() {
        return Math.max(2, settings.inFlight() / 8);
    }
}
