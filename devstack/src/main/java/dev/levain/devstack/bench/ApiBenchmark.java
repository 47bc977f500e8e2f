package dev.levain.devstack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.levain.devstack.Cli;
import dev.levain.devstack.DataDirs;
import dev.levain.devstack.DevStack;
import dev.levain.devstack.Ports;
import dev.levain.devstack.launcher.ApiTokens;
import dev.levain.devstack.launcher.DemoGoals;
import dev.levain.devstack.launcher.Service;
import dev.levain.devstack.launcher.ServiceProcess;
import dev.levain.devstack.postgres.PostgresServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./levain bench-api}: latency of every KPI endpoint of the packaged api-service over a
 * PanPan history of 10 million sale lines ({@link KpiDataSet}), one keep-alive client calling one
 * endpoint at a time, everything on this machine. Baselines measured in the same run: the framework
 * alone ({@code /q/health/live}) and the SQL of each answer over JDBC. Prints p50/p95/p99/max per
 * endpoint and whether every KPI endpoint's p95 is within DESIGN.md §7's 20 ms; asserts nothing, and
 * an endpoint that is not there yet (404) is reported as missing. Then the dashboard's first paint in chromium
 * ({@link DashboardPaint}) against DESIGN.md §7's 1 s.
 *
 * <p>Options: {@code --lines N} (10,000,000), {@code --requests N} per endpoint (500), {@code --warmup N}
 * unmeasured requests per endpoint (100), {@code --max-seconds S} per endpoint and per side (HTTP, SQL)
 * after which fewer requests are measured (30; a slow endpoint would otherwise take hours), {@code --keep-data}
 * to keep the loaded database in {@code --data DIR} (.levain/bench-api) and reuse it next time instead of
 * loading again, {@code --only TEXT,TEXT} to measure only the endpoints whose names contain one of them (and the
 * framework baseline).
 */
public final class ApiBenchmark {

    static final double TARGET_P95_MILLIS = 20;
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final int HISTORY_DAYS = 730;
    private static final String MARKER = "dataset.properties";
    private static final int PAINT_VISITS = 10;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String jdbcUrl;
    private final int requests;
    private final int warmup;
    private final long budgetNanos;
    private final LocalDate lastDay;
    private final List<String> only;

    private ApiBenchmark(String jdbcUrl, int requests, int warmup, long budgetNanos, LocalDate lastDay,
                         List<String> only) {
        this.jdbcUrl = jdbcUrl;
        this.requests = requests;
        this.warmup = warmup;
        this.budgetNanos = budgetNanos;
        this.lastDay = lastDay;
        this.only = only;
    }

    public static void main(String[] args) throws Exception {
        DevStack.quietLogs();
        Map<String, String> options = Cli.options(args);
        long lines = Long.parseLong(options.getOrDefault("lines", "10000000").replace("_", ""));
        int requests = Integer.parseInt(options.getOrDefault("requests", "500"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "100"));
        long budgetNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(options.getOrDefault("max-seconds", "30")));
        boolean keep = options.containsKey("keep-data");
        List<String> only = options.containsKey("only") ? Arrays.stream(options.get("only").split(","))
                .map(String::trim).filter(name -> !name.isEmpty()).toList() : List.of();
        Path home = Path.of(System.getProperty("levain.home", ".")).toAbsolutePath().normalize();
        Path data = keep ? Path.of(options.getOrDefault("data", home.resolve(".levain/bench-api").toString())).toAbsolutePath()
                : DataDirs.createTemporary("levain-bench-api-");
        KpiDataSet.Shape shape = new KpiDataSet.Shape(lines, HISTORY_DAYS);
        long begin = System.nanoTime();
        try {
            run(home, data, shape, keep, new ApiBenchmark.Settings(requests, warmup, budgetNanos, only));
        } finally {
            if (keep) {
                System.out.println("Data kept in " + data + " (reused by the next --keep-data run with --lines " + lines + ")");
            } else {
                DataDirs.delete(data);
            }
        }
        System.out.printf("Wall time %.0f s%n", (System.nanoTime() - begin) / 1e9);
        System.exit(0);
    }

    private record Settings(int requests, int warmup, long budgetNanos, List<String> only) {
    }

    private static void run(Path home, Path data, KpiDataSet.Shape shape, boolean keep, Settings settings)
            throws Exception {
        if (!DataDirs.tryLock(data)) {
            throw new IllegalStateException("Another benchmark or devstack runs on " + data);
        }
        Properties loaded = keep ? loadedDataSet(data, shape) : null;
        if (loaded == null) {
            DevStack.stopLeftovers(data);
            DataDirs.delete(data.resolve("postgres"));
        }
        boolean needsKafka = needsKafka(home);
        System.out.printf("Levain KPI API benchmark: %,d sale lines, %d requests per endpoint after %d warm-up (at most"
                        + " %d s each), one keep-alive client%s%n%n", shape.lines(), settings.requests(), settings.warmup(),
                TimeUnit.NANOSECONDS.toSeconds(settings.budgetNanos()), needsKafka ? " (Kafka started: api-service uses it)" : "");
        DevStack stack = needsKafka ? DevStack.start(data, 0, 0, false) : null;
        PostgresServer postgres = stack != null ? stack.postgres() : PostgresServer.start(data.resolve("postgres"), Ports.free(), false);
        // Ctrl-C: the database runs detached and would outlive this JVM (and a temporary directory's deletion).
        Thread stopper = new Thread(stack != null ? stack::close : postgres::close, "bench-api-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            if (loaded == null) {
                loaded = load(home, data, postgres.jdbcUrl(), shape);
            } else {
                System.out.printf("Reusing the data set loaded on %s in %s%n", loaded.getProperty("loaded_on"), data);
                // Migrations added since the load (indexes, say) apply to the kept data as they would in production.
                KpiDataSet.createSchema(postgres.jdbcUrl(), home);
            }
            printCounts(postgres.jdbcUrl());
            LocalDate lastDay = LocalDate.parse(loaded.getProperty("last_day"));
            Map<String, String> environment = new LinkedHashMap<>();
            if (stack != null) {
                environment.putAll(stack.serviceEnvironment());
            } else {
                environment.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
                environment.put("QUARKUS_DATASOURCE_USERNAME", PostgresServer.SUPERUSER);
                environment.put("QUARKUS_DATASOURCE_PASSWORD", PostgresServer.PASSWORD);
            }
            ApiTokens tokens = ApiTokens.in(data.resolve("jwt"));
            environment.putAll(tokens.apiEnvironment());
            String token = tokens.issue("bench", "admin", List.of(), Duration.ofHours(1));
            new ApiBenchmark(postgres.jdbcUrl(), settings.requests(), settings.warmup(), settings.budgetNanos(), lastDay,
                    settings.only())
                    .measure(home, data, environment, token);
        } finally {
            Runtime.getRuntime().removeShutdownHook(stopper);
            if (stack != null) {
                stack.close();
            } else {
                postgres.close();
            }
        }
    }

    /** The data set's description when {@code data} holds one of this shape, fully loaded; null otherwise. */
    private static Properties loadedDataSet(Path data, KpiDataSet.Shape shape) throws IOException {
        Path marker = data.resolve(MARKER);
        if (!Files.exists(marker)) {
            return null;
        }
        Properties loaded = new Properties();
        try (var reader = Files.newBufferedReader(marker)) {
            loaded.load(reader);
        }
        if (!String.valueOf(shape.lines()).equals(loaded.getProperty("lines"))
                || !String.valueOf(KpiDataSet.VERSION).equals(loaded.getProperty("generator"))) {
            System.out.printf("The kept data set has %s lines from generator %s, not %d from %d: loading again%n",
                    loaded.getProperty("lines"), loaded.getProperty("generator"), shape.lines(), KpiDataSet.VERSION);
            return null;
        }
        return loaded;
    }

    private static Properties load(Path home, Path data, String jdbcUrl, KpiDataSet.Shape shape) throws Exception {
        Files.deleteIfExists(data.resolve(MARKER));
        KpiDataSet.createSchema(jdbcUrl, home);
        System.out.printf("Loading %,d sales (%,d lines), %,d customers over %d days with set-based SQL%n",
                shape.sales(), shape.lines(), shape.customers(), shape.days());
        long begin = System.nanoTime();
        try (Connection connection = connect(jdbcUrl)) {
            new KpiDataSet(shape, System.out::println).load(connection);
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        System.out.printf("Loaded in %.1f s (%,.0f lines/s)%n", seconds, shape.lines() / seconds);
        Properties loaded = new Properties();
        loaded.setProperty("lines", String.valueOf(shape.lines()));
        loaded.setProperty("generator", String.valueOf(KpiDataSet.VERSION));
        loaded.setProperty("loaded_on", LocalDate.now(PARIS).toString());
        loaded.setProperty("last_day", LocalDate.now(PARIS).toString());
        loaded.setProperty("load_seconds", "%.1f".formatted(seconds));
        try (var writer = Files.newBufferedWriter(data.resolve(MARKER))) {
            loaded.store(writer, "Levain KPI API benchmark data set, written once fully loaded");
        }
        return loaded;
    }

    private static void printCounts(String jdbcUrl) throws SQLException {
        try (Connection connection = connect(jdbcUrl)) {
            StringBuilder line = new StringBuilder("Rows:");
            KpiDataSet.counts(connection).forEach((table, count) -> line.append(' ').append(table).append('=')
                    .append("%,d".formatted(count)));
            System.out.println(line);
        }
    }

    /** Kafka is started only when the packaged api-service carries a Kafka client. */
    private static boolean needsKafka(Path home) throws IOException {
        Path libraries = home.resolve("api-service/target/quarkus-app/lib/main");
        if (!Files.isDirectory(libraries)) {
            return false;
        }
        try (var jars = Files.list(libraries)) {
            return jars.anyMatch(jar -> jar.getFileName().toString().contains("kafka-clients"));
        }
    }

    private void measure(Path home, Path data, Map<String, String> environment, String token) throws Exception {
        List<KpiProbes.Probe> probes = KpiProbes.all().stream().filter(probe -> only.isEmpty() || !probe.kpi()
                || only.stream().anyMatch(name -> probe.name().contains(name))).toList();
        Map<KpiProbes.Probe, Latencies> sql = new LinkedHashMap<>();
        System.out.printf("%nBaseline: the SQL of each answer over JDBC (one connection, prepared statements)%n");
        try (Connection connection = connect(jdbcUrl)) {
            for (KpiProbes.Probe probe : probes) {
                if (!probe.sql().isEmpty()) {
                    sql.put(probe, measureSql(connection, probe));
                }
            }
        }
        long started = System.nanoTime();
        try (ServiceProcess api = ServiceProcess.start(home, Service.API, Ports.free(), environment, data.resolve("logs"),
                data.resolve("run"))) {
            Thread stopper = new Thread(api::close, "bench-api-service-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            System.out.printf("%napi-service ready in %.1f s (log: %s)%n", (System.nanoTime() - started) / 1e9,
                    data.resolve("logs").resolve(Service.API.module() + ".log"));
            List<KpiProbes.Probe> measured = new ArrayList<>(probes);
            if (only.isEmpty() || only.stream().anyMatch("goal progress"::contains)) {
                measured.addAll(measured.size() - 1, goalProbes(api.url(), token));
            }
            String loadBefore = loadAverage();
            List<Row> rows = new ArrayList<>();
            for (KpiProbes.Probe probe : measured) {
                rows.add(measureHttp(api.url(), token, probe, sql.get(probe)));
            }
            long rss = residentKilobytes(api.pid());
            printSummary(rows, rss);
            if (only.isEmpty() || only.stream().anyMatch("dashboard first paint"::contains)) {
                printPaint(api.url(), token);
            }
            System.out.printf("Load average (1 min) before/after the HTTP runs: %s / %s on %d cores: other work on this"
                    + " machine shows as noise in the figures%n", loadBefore, loadAverage(), Runtime.getRuntime().availableProcessors());
            Runtime.getRuntime().removeShutdownHook(stopper);
        }
    }

    /**
     * PanPan's three goals ({@link DemoGoals}, created through the API once per data folder) and a probe of each
     * one's progress: the dashboard asks for all three. No SQL baseline: progress is several KPI windows.
     */
    private List<KpiProbes.Probe> goalProbes(String base, String token) throws Exception {
        DemoGoals.create(base, token);
        JsonNode goals = new ObjectMapper().readTree(get(base, "/api/v1/goals", token).body()).path("goals");
        List<KpiProbes.Probe> probes = new ArrayList<>();
        for (JsonNode goal : goals) {
            String path = "/api/v1/goals/" + goal.path("id").asLong() + "/progress";
            probes.add(new KpiProbes.Probe("goal progress, " + goal.path("metric").asText(), true, d -> path, List.of()));
        }
        return probes;
    }

    /**
     * The dashboard opened {@value #PAINT_VISITS} times in chromium ({@link DashboardPaint}): the first visit with an
     * empty browser cache, then visits again. DESIGN.md §7's first paint with numbers within 1 s is judged on today's
     * figures (the first numbers the page draws); every panel's first answer is printed beside it.
     */
    private static void printPaint(String base, String token) throws Exception {
        System.out.printf("%nDashboard first paint (chromium headless over this data; ms from the navigation's start"
                + " to today's figures drawn, and to every panel's first answer drawn)%n");
        if (!DashboardPaint.available()) {
            System.out.println("  not measured: no /usr/bin/chromium on this machine (`apt-get install -y chromium`)");
            return;
        }
        List<DashboardPaint.Visit> visits = new ArrayList<>();
        try (DashboardPaint browser = new DashboardPaint()) {
            for (int visit = 0; visit < PAINT_VISITS; visit++) {
                visits.add(browser.visit(base, token, visit, Duration.ofSeconds(60)));
            }
        } catch (Exception e) {
            System.out.println("  not measured: " + e.getMessage());
            System.out.println("First paint with numbers <= 1000 ms: NOT MEASURED");
            return;
        }
        DashboardPaint.Visit first = visits.get(0);
        System.out.printf("  first visit (empty cache)   today's figures %7.0f   every panel %7.0f%n",
                first.firstNumbers(), first.firstScreen());
        double[] numbers = visits.stream().skip(1).mapToDouble(DashboardPaint.Visit::firstNumbers).sorted().toArray();
        double[] screens = visits.stream().skip(1).mapToDouble(DashboardPaint.Visit::firstScreen).sorted().toArray();
        System.out.printf("  %d visits again, p50 / max  today's figures %4.0f / %4.0f   every panel %4.0f / %4.0f%n",
                screens.length, numbers[numbers.length / 2], numbers[numbers.length - 1], screens[screens.length / 2],
                screens[screens.length - 1]);
        List<String> unavailable = visits.stream().flatMap(visit -> visit.unavailable().stream()).distinct().toList();
        if (!unavailable.isEmpty()) {
            System.out.println("  panels that said \"not available\" (the services they read are not started here): "
                    + String.join(", ", unavailable));
        }
        DashboardPaint.Visit slowestAgain = visits.stream().skip(1)
                .max(Comparator.comparingDouble(DashboardPaint.Visit::firstScreen)).orElseThrow();
        System.out.printf("  answers that came last (path start-end ms): first visit %s; slowest visit again %s%n",
                String.join(", ", first.lastAnswers()), String.join(", ", slowestAgain.lastAnswers()));
        double slowest = visits.stream().mapToDouble(DashboardPaint.Visit::firstNumbers).max().orElseThrow();
        System.out.printf("First paint with numbers <= %.0f ms (today's figures, slowest visit %.0f ms): %s%n",
                DashboardPaint.TARGET_MILLIS, slowest, slowest <= DashboardPaint.TARGET_MILLIS ? "MET" : "NOT MET");
    }

    private Latencies measureSql(Connection connection, KpiProbes.Probe probe) throws SQLException {
        List<PreparedStatement> statements = new ArrayList<>();
        try {
            for (KpiProbes.Query query : probe.sql()) {
                statements.add(connection.prepareStatement(query.sql()));
            }
            Random random = new Random(7);
            long warmupEnd = System.nanoTime() + budgetNanos / 3;
            for (int i = 0; i < warmup && System.nanoTime() < warmupEnd; i++) {
                runSql(probe, statements, draw(random, i));
            }
            random = new Random(7);
            long[] nanos = new long[requests];
            int measured = 0;
            for (long end = System.nanoTime() + budgetNanos; measured < requests && System.nanoTime() < end; measured++) {
                KpiProbes.Draw draw = draw(random, measured);
                long begin = System.nanoTime();
                runSql(probe, statements, draw);
                nanos[measured] = System.nanoTime() - begin;
            }
            Latencies latencies = Latencies.of(Arrays.copyOf(nanos, measured));
            print(probe, latencies, "");
            return latencies;
        } finally {
            for (PreparedStatement statement : statements) {
                statement.close();
            }
        }
    }

    private static void runSql(KpiProbes.Probe probe, List<PreparedStatement> statements, KpiProbes.Draw draw)
            throws SQLException {
        for (int q = 0; q < statements.size(); q++) {
            PreparedStatement statement = statements.get(q);
            Object[] parameters = probe.sql().get(q).parameters().apply(draw);
            for (int p = 0; p < parameters.length; p++) {
                statement.setObject(p + 1, parameters[p]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    for (int c = 1; c <= columns; c++) {
                        rows.getObject(c);
                    }
                }
            }
        }
    }

    /** The same sequence of windows for the SQL and the HTTP runs: ends within the last year of history. */
    private KpiProbes.Draw draw(Random random, int i) {
        return new KpiProbes.Draw(lastDay.minusDays(random.nextInt(365)), random.nextInt(KpiDataSet.STORES.size()), i);
    }

    private Row measureHttp(String base, String token, KpiProbes.Probe probe, Latencies sql) throws Exception {
        Random random = new Random(7);
        HttpResponse<byte[]> first = get(base, probe.path().apply(draw(random, 0)), token);
        if (first.statusCode() == 404) {
            System.out.printf("  %-34s missing (404)%n", probe.name());
            return new Row(probe, "missing", null, sql, 0, 0);
        }
        if (first.statusCode() != 200) {
            String body = new String(first.body(), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
            System.out.printf("  %-34s HTTP %d: %s%n", probe.name(), first.statusCode(),
                    body.substring(0, Math.min(body.length(), 200)));
            return new Row(probe, "HTTP " + first.statusCode(), null, sql, 0, 0);
        }
        long warmupEnd = System.nanoTime() + budgetNanos / 3;
        for (int i = 1; i < warmup && System.nanoTime() < warmupEnd; i++) {
            get(base, probe.path().apply(draw(random, i)), token);
        }
        random = new Random(7);
        long[] nanos = new long[requests];
        int measured = 0;
        int errors = 0;
        long bytes = 0;
        for (long end = System.nanoTime() + budgetNanos; measured < requests && System.nanoTime() < end; measured++) {
            String path = probe.path().apply(draw(random, measured));
            long begin = System.nanoTime();
            HttpResponse<byte[]> response = get(base, path, token);
            nanos[measured] = System.nanoTime() - begin;
            bytes += response.body().length;
            if (response.statusCode() != 200) {
                errors++;
            }
        }
        Latencies latencies = Latencies.of(Arrays.copyOf(nanos, measured));
        print(probe, latencies, errors == 0 ? "" : "  (" + errors + " non-200)");
        return new Row(probe, "ok", latencies, sql, errors, bytes / Math.max(1, measured));
    }

    private void print(KpiProbes.Probe probe, Latencies latencies, String note) {
        System.out.printf("  %-34s p50 %7.2f  p95 %7.2f  p99 %7.2f  max %7.2f ms  n %d%s%n", probe.name(), latencies.p50(),
                latencies.p95(), latencies.p99(), latencies.max(), latencies.count(),
                latencies.count() < requests ? " (time budget reached)" + note : note);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private HttpResponse<byte[]> get(String base, String path, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** One endpoint's outcome: measured ({@code latencies}), or why not. */
    private record Row(KpiProbes.Probe probe, String status, Latencies latencies, Latencies sql, int errors, long bytes) {

        boolean measuredKpi() {
            return probe.kpi() && latencies != null;
        }
    }

    private void printSummary(List<Row> rows, long rssKilobytes) {
        System.out.printf("%nSummary (ms; up to %d requests per endpoint, the same windows for HTTP and SQL)%n", requests);
        System.out.printf("%-34s %-8s %5s %7s %7s %7s %7s %8s %7s %7s %8s %s%n", "endpoint", "status", "n", "p50", "p95",
                "p99", "max", "avg KiB", "SQLp50", "SQLp95", "API/SQL", "p95<=20");
        Latencies health = rows.stream().filter(r -> !r.probe().kpi() && r.latencies() != null).map(Row::latencies)
                .findFirst().orElse(null);
        List<String> over = new ArrayList<>();
        int missing = 0;
        int measured = 0;
        for (Row row : rows) {
            Latencies api = row.latencies();
            Latencies sql = row.sql();
            String verdict = !row.probe().kpi() ? "" : api == null ? "-" : api.p95() <= TARGET_P95_MILLIS ? "yes" : "NO";
            System.out.printf("%-34s %-8s %5s %7s %7s %7s %7s %8s %7s %7s %8s %s%n", row.probe().name(), row.status(),
                    api == null ? "" : String.valueOf(api.count()), millis(api == null ? null : api.p50()), millis(api == null ? null : api.p95()),
                    millis(api == null ? null : api.p99()), millis(api == null ? null : api.max()),
                    api == null ? "" : "%.1f".formatted(row.bytes() / 1024.0),
                    millis(sql == null ? null : sql.p50()), millis(sql == null ? null : sql.p95()),
                    api == null || sql == null ? "" : "%.1fx".formatted(api.p95() / sql.p95()), verdict);
            if (row.probe().kpi() && api == null) {
                missing++;
            }
            if (row.measuredKpi()) {
                measured++;
                if (api.p95() > TARGET_P95_MILLIS) {
                    over.add("%s %.1f ms".formatted(row.probe().name(), api.p95()));
                }
            }
        }
        if (health != null) {
            System.out.printf("Framework overhead (GET /q/health/live): p50 %.2f ms, p95 %.2f ms%n", health.p50(), health.p95());
        }
        System.out.printf("api-service RSS after the run: %d MB (DESIGN.md §7: <= 256 MB)%n", rssKilobytes / 1024);
        String counted = "%d of %d KPI endpoints measured%s%s".formatted(measured, measured + missing,
                missing == 0 ? "" : ", " + missing + " missing or failing",
                only.isEmpty() ? "" : "; only those named " + String.join(", ", only) + ": a partial run, not the verdict");
        if (measured == 0) {
            System.out.printf("p95 target <= 20 ms: NOT MET (%s)%n", counted);
        } else if (over.isEmpty()) {
            System.out.printf("p95 target <= 20 ms: MET (%s)%n", counted);
        } else {
            System.out.printf("p95 target <= 20 ms: NOT MET (%s; over: %s)%n", counted, String.join(", ", over));
        }
    }

    private static String millis(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static long residentKilobytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux, or the process is gone: reported as 0.
        }
        return 0;
    }

    private static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, PostgresServer.SUPERUSER, PostgresServer.PASSWORD);
    }
}
