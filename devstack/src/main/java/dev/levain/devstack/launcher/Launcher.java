package dev.levain.devstack.launcher;

import dev.levain.devstack.DataDirs;
import dev.levain.devstack.DevStack;
import dev.levain.devstack.Ports;
import dev.levain.devstack.postgres.PostgresServer;
import dev.levain.devstack.simulator.DemoHistory;
import dev.levain.devstack.simulator.PanPanSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * {@code levain up}: PostgreSQL, Kafka and the four services on this machine, with the PanPan
 * demo unless {@code --no-demo}; Ctrl-C stops everything.
 *
 * <p>On a fresh data folder the demo starts with PanPan's history (13 months and more, and its three goals).
 *
 * <p>Options: {@code --no-demo}, {@code --no-history}, {@code --data DIR} (default {@code .levain}), {@code --pg-port N}
 * (15432), {@code --kafka-port N} (19092), {@code --http-port N} (8080: api; ingest, normalize and
 * alert follow), {@code --demo-interval-ms N} (2000).
 */
public final class Launcher {


    private Launcher() {
    }

    public static void main(String[] args) throws InterruptedException {
        DevStack.quietLogs();
        Map<String, String> options = dev.levain.devstack.Cli.options(args);
        if (!"up".equals(options.get("command"))) {
            System.err.println("usage: levain up [--no-demo] [--no-history] [--data DIR] [--pg-port N] [--kafka-port N] [--http-port N]");
            System.exit(2);
        }
        Path home = Path.of(System.getProperty("levain.home", ".")).toAbsolutePath().normalize();
        Path data = home.resolve(options.getOrDefault("data", ".levain"));
        int httpPort = Integer.parseInt(options.getOrDefault("http-port", "8080"));
        int pgPort = Integer.parseInt(options.getOrDefault("pg-port", String.valueOf(DevStack.DEFAULT_PG_PORT)));
        int kafkaPort = Integer.parseInt(options.getOrDefault("kafka-port", String.valueOf(DevStack.DEFAULT_KAFKA_PORT)));
        if (!DataDirs.tryLock(data)) {
            System.err.println("Another levain up or devstack is running on " + data + ".");
            System.exit(1);
        }
        LevainSystem system = new LevainSystem(home, data, pgPort, kafkaPort, httpPort).withEventLines();
        system.stopLeftovers();
        requireFree("--pg-port", pgPort);
        requireFree("--kafka-port", kafkaPort);
        requireFree("--kafka-port (controller: the port after it)", kafkaPort + 1);
        for (Service service : Service.values()) {
            requireFree("--http-port (" + service.module() + ")", service.port(httpPort));
        }

        AtomicReference<PanPanSimulator> demo = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        // Registered before anything starts, so that Ctrl-C during start-up stops what is up by then.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Levain ...");
            PanPanSimulator simulator = demo.get();
            if (simulator != null) {
                simulator.close();
            }
            system.close();
            // Ctrl-C during start-up may catch a server or service between its start and its record.
            system.stopLeftovers();
            System.out.println("Levain stopped.");
            stopped.countDown();
        }, "levain-shutdown"));
        // A shell may start us with SIGINT ignored (background jobs); Ctrl-C must still stop everything.
        Signal.handle(new Signal("INT"), signal -> System.exit(130));

        System.out.println("Starting PostgreSQL, Kafka and the services (data in " + data + ") ...");
        system.start();
        try {
            system.alertOutside().seedDemoRules(system.url(Service.ALERT), system.secrets());
        } catch (RuntimeException e) {
            // Alerts are part of the demo, not of the system: Levain runs on without them.
            System.err.println("Demo alert rules not created: " + e.getMessage());
        }
        if (!options.containsKey("no-demo") && !options.containsKey("no-history")) {
            layDownHistory(system);
        }
        if (!options.containsKey("no-demo")) {
            system.outside().startDemo();
            demo.set(PanPanSimulator.start(system.url(Service.INGEST), system.secrets().posNative(),
                    Duration.ofMillis(Long.parseLong(options.getOrDefault("demo-interval-ms", "2000")))));
        }
        printUrls(system, demo.get() != null);
        stopped.await();
    }

    /**
     * On a fresh data folder, PanPan's 13 months of history and its three goals (demo data: not with
     * {@code --no-demo} or {@code --no-history}); Levain runs on without them if they cannot be made.
     */
    private static void layDownHistory(LevainSystem system) {
        var postgres = system.stack().postgres();
        try {
            long begin = System.nanoTime();
            long sales = DemoHistory.layDown(postgres.jdbcUrl(), PostgresServer.SUPERUSER, PostgresServer.PASSWORD);
            if (sales == 0) {
                return; // not a fresh data folder: its history is there already
            }
            System.out.printf("Laid down PanPan's history: %,d sales over %d days in %d s (--no-history skips it).%n",
                    sales, DemoHistory.DAYS, (System.nanoTime() - begin) / 1_000_000_000L);
            DemoGoals.create(system.url(Service.API),
                    system.apiTokens().issue("levain-up", "admin", java.util.List.of(), Duration.ofMinutes(5)));
        } catch (java.sql.SQLException | RuntimeException e) {
            System.err.println("Demo history or goals not created: " + e.getMessage());
        }
    }

    /** Fails fast, naming the option to change, when something (another Levain, say) holds a port. */
    private static void requireFree(String option, int port) {
        if (Ports.inUse(port)) {
            System.err.println("Port " + port + " is already in use (another levain up?). Stop it or choose " + option + ".");
            System.exit(1);
        }
    }

    private static void printUrls(LevainSystem system, boolean demo) {
        String adminToken = system.apiTokens().issue("local-admin", "admin", java.util.List.of(), Duration.ofHours(12));
        var kafka = system.stack().kafka();
        var postgres = system.stack().postgres();
        System.out.printf("""

                Levain is up.
                  dashboard      %s/dashboard/#token=%s
                  KPI API        %s/q/swagger-ui  (bearer tokens: ./levain token --role admin|viewer [--stores CODE])
                                 admin token (12 h): %s
                  ingest         %s/q/openapi  (pulls: /api/v1/ingest/pulls)
                  CSV upload     curl -H 'Authorization: Bearer %s' -H 'Content-Type: text/csv' \\
                                   --data-binary @sales.csv %s/api/v1/ingest/pos/csv
                  normalize      %s/q/health
                  alert          %s/api/v1/alerts  (admin token: %s)
                  alerts seen    Slack stand-in %s   mail catcher %s  (to %s)
                  sales report   weekly, by e-mail to %s (the mail catcher), last week's about 2 minutes after start
                  metrics        %s/q/metrics  %s/q/metrics
                                 %s/q/metrics  %s/q/metrics  (ingest, normalize, alert, api: Prometheus format)
                  traces         grep -h <traceId> %s/*.log  (each JSON log line of an event's work has mdc.traceId)
                  PostgreSQL     %s  (user postgres, password postgres; files in %s)
                                 migrated as levain_owner; each service connects as its writer role (levain_<service>_writer)
                  Kafka          %s
                  simulators     POS vendor (Square-shaped) %s, CRM %s, inventory %s
                %s
                Press Ctrl-C to stop everything.
                """,
                system.url(Service.API), adminToken, system.url(Service.API), adminToken,
                system.url(Service.INGEST), system.secrets().uploadToken(), system.url(Service.INGEST),
                system.url(Service.NORMALIZE), system.url(Service.ALERT), system.secrets().alertAdminToken(),
                system.alertOutside().slack().baseUrl(), system.alertOutside().mail().webUrl(), AlertOutside.MAIL_TO,
                AlertOutside.MAIL_TO, system.url(Service.INGEST), system.url(Service.NORMALIZE), system.url(Service.ALERT), system.url(Service.API),
                system.log(Service.API).getParent(), postgres.jdbcUrl(), postgres.dataDir(), kafka.bootstrapServers(),
                system.outside().square().baseUrl(), system.outside().crm().baseUrl(),
                system.outside().inventory().baseUrl(),
                demo ? "  PanPan demo: native POS sales every few seconds, Square sales and their webhooks, CRM contacts "
                        + "changing, stock falling and restocked (pulled and pushed);\n  " + OutsideSystems.DEMO_LOW_SKU
                        + " at " + OutsideSystems.DEMO_LOW_STORE + " runs low after 30 s: watch the Slack stand-in and the mail catcher."
                        : "  Demo off (--no-demo).");
    }
}
