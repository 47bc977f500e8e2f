package dev.levain.devstack.launcher;

import dev.levain.devstack.DevStack;
import dev.levain.devstack.Ports;
import dev.levain.devstack.simulator.PanPanCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The whole system on one machine: devstack plus the four packaged services as separate
 * processes, one each unless {@link #replicas} asks for more. {@link #close()} may be called from a
 * shutdown hook at any time, even while {@link #start()} is still running: it stops whatever has started.
 */
public final class LevainSystem implements AutoCloseable {

    private final Path home;
    private final Path dataDir;
    private final int pgPort;
    private final int kafkaPort;
    private final int httpBasePort;
    private final WebhookSecrets secrets = WebhookSecrets.random();
    private final ApiTokens apiTokens;
    /** The running processes of each service by replica number; replica 0 listens on the service's own port. */
    private final Map<Service, ServiceProcess[]> services = new EnumMap<>(Service.class);
    private final Map<Service, int[]> ports = new EnumMap<>(Service.class);
    private final Map<Service, Map<String, String>> settings = new EnumMap<>(Service.class);
    private DevStack stack;
    private DatabaseRoles databaseRoles;
    private OutsideSystems outside;
    private AlertOutside alertOutside;
    private boolean closed;

    public LevainSystem(Path home, Path dataDir, int pgPort, int kafkaPort, int httpBasePort) {
        this.home = home;
        this.dataDir = dataDir;
        this.pgPort = pgPort;
        this.kafkaPort = kafkaPort;
        this.httpBasePort = httpBasePort;
        this.apiTokens = ApiTokens.in(jwtDir(dataDir));
    }

    /** Where a run keeps the key pair api-service trusts; {@code levain token} signs with it. */
    public static Path jwtDir(Path dataDir) {
        return dataDir.resolve("jwt");
    }

    /**
     * Runs {@code count} processes of {@code service} side by side, as replicas behind a load balancer
     * would: the first on the service's port, the others on free ports. Call before {@link #start()}.
     */
    public synchronized LevainSystem replicas(Service service, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("A service runs at least one process");
        }
        int[] replicaPorts = new int[count];
        replicaPorts[0] = service.port(httpBasePort);
        for (int replica = 1; replica < count; replica++) {
            replicaPorts[replica] = Ports.free();
        }
        ports.put(service, replicaPorts);
        return this;
    }

    /**
     * Gives every process of {@code service} these environment variables on top of (and over) the
     * launcher's own, as an operator's ConfigMap would. Call before {@link #start()}.
     */
    public synchronized LevainSystem settings(Service service, Map<String, String> environment) {
        settings.computeIfAbsent(service, s -> new LinkedHashMap<>()).putAll(environment);
        return this;
    }

    /**
     * Logs a line for each event ingest takes and each batch the normalizer writes (DEBUG in those packages), so
     * that one event can be followed through the services by its trace id (`levain up`, the system test); left out
     * where throughput is measured. Call before {@link #start()}.
     */
    public LevainSystem withEventLines() {
        settings(Service.INGEST, Map.of("QUARKUS_LOG_CATEGORY__DEV_LEVAIN_INGEST_SERVICE__LEVEL", "DEBUG"));
        return settings(Service.NORMALIZE, Map.of("QUARKUS_LOG_CATEGORY__DEV_LEVAIN_NORMALIZE_SERVICE__LEVEL", "DEBUG"));
    }

    /** Stops servers and services that a killed earlier run left on this data directory. */
    public void stopLeftovers() {
        DevStack.stopLeftovers(dataDir);
        for (Service service : Service.values()) {
            ServiceProcess.stopLeftover(home, service, runDir());
            for (int replica = 1; replica < replicaCount(service); replica++) {
                ServiceProcess.stopLeftover(home, service, runDir(replica));
            }
        }
    }

    /**
     * Starts PostgreSQL and Kafka with their data under the data directory, then each service
     * from its build under {@code home}; on any failure, stops what was started.
     */
    public LevainSystem start() {
        try {
            DevStack started = DevStack.start(dataDir, pgPort, kafkaPort, true);
            keep(() -> stack = started, started::close);
            OutsideSystems simulators = OutsideSystems.start(secrets,
                    "http://127.0.0.1:" + Service.INGEST.port(httpBasePort));
            keep(() -> outside = simulators, simulators::close);
            AlertOutside alertReceivers = AlertOutside.start();
            keep(() -> alertOutside = alertReceivers, alertReceivers::close);
            DatabaseRoles roles = DatabaseRoles.prepare(started.postgres().jdbcUrl());
            keep(() -> databaseRoles = roles, () -> { });
            migrate();
            // The first process of each service in order, then the other replicas together.
            for (Service service : Service.values()) {
                ServiceProcess process = startService(service, 0);
                keep(() -> replicasOf(service)[0] = process, process::close);
            }
            List<CompletableFuture<Void>> others = new ArrayList<>();
            for (Service service : Service.values()) {
                for (int replica = 1; replica < replicaCount(service); replica++) {
                    int number = replica;
                    others.add(CompletableFuture.runAsync(() -> {
                        ServiceProcess process = startService(service, number);
                        keep(() -> replicasOf(service)[number] = process, process::close);
                    }));
                }
            }
            try {
                others.forEach(CompletableFuture::join);
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Every service's migrations, as the owner, before any service runs (the Job levain-migrate of a
     * release): core first, as the others read it and its migrations grant the reporting views, then the
     * other three together.
     */
    private void migrate() {
        runMigrations(Service.NORMALIZE);
        try {
            Arrays.stream(Service.values()).filter(service -> service != Service.NORMALIZE)
                    .map(service -> CompletableFuture.runAsync(() -> runMigrations(service))).toList()
                    .forEach(CompletableFuture::join);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private void runMigrations(Service service) {
        Map<String, String> environment = environment(service);
        environment.putAll(settings.getOrDefault(service, Map.of()));
        environment.putAll(databaseRoles.migrationEnvironment());
        ServiceProcess.runToEnd(home, service, environment, logDir(0));
    }

    private ServiceProcess startService(Service service, int replica) {
        Map<String, String> environment = environment(service);
        environment.putAll(databaseRoles.serviceEnvironment(service));
        environment.putAll(settings.getOrDefault(service, Map.of()));
        return ServiceProcess.start(home, service, port(service, replica), environment, logDir(replica), runDir(replica));
    }

    /** The environment every process of {@code service} gets, its database login aside. */
    private Map<String, String> environment(Service service) {
        Map<String, String> environment = new LinkedHashMap<>(stack.serviceEnvironment());
        if (service == Service.INGEST) {
            environment.putAll(secrets.ingestEnvironment());
            environment.putAll(outside.ingestEnvironment());
        }
        if (service == Service.NORMALIZE) {
            environment.putAll(normalizeEnvironment());
        }
        if (service == Service.API) {
            environment.putAll(apiTokens.apiEnvironment());
            environment.putAll(apiEnvironment());
        }
        if (service == Service.ALERT) {
            environment.putAll(alertOutside.alertEnvironment(secrets,
                    "http://127.0.0.1:" + Service.API.port(httpBasePort) + "/"));
        }
        return environment;
    }

    /**
     * The normalizer gets PanPan's store master data (names, time zones, opening hours, the
     * Square location ids) as an extra properties file, the way a Kubernetes ConfigMap would give
     * it, and the run's operator token for its admin API.
     */
    private Map<String, String> normalizeEnvironment() {
        StringBuilder stores = new StringBuilder("# PanPan's stores, written by levain up\n");
        for (PanPanCatalog.Store store : PanPanCatalog.STORES) {
            String prefix = "levain.normalize.stores.\"" + store.code() + "\".";
            stores.append(prefix).append("name=").append(store.name()).append('\n')
                    .append(prefix).append("timezone=").append(store.timezone()).append('\n')
                    .append(prefix).append("aliases=").append(store.squareId()).append('\n')
                    .append(prefix).append("opening-hours=").append(PanPanCatalog.OPENING_HOURS).append('\n');
        }
        Path file = runDir().resolve("normalize-stores.properties");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, stores);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        return Map.of("QUARKUS_CONFIG_LOCATIONS", file.toUri().toString(),
                "LEVAIN_NORMALIZE_ADMIN_TOKENS", secrets.uploadToken());
    }

    /** api-service reaches the normalizer's and alert-service's admin APIs for its admin endpoints. */
    private Map<String, String> apiEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>(Map.of(
                "LEVAIN_API_NORMALIZE_URL", "http://127.0.0.1:" + Service.NORMALIZE.port(httpBasePort),
                "LEVAIN_API_NORMALIZE_TOKEN", secrets.uploadToken(),
                "LEVAIN_API_ALERT_URL", "http://127.0.0.1:" + Service.ALERT.port(httpBasePort),
                "LEVAIN_API_ALERT_TOKEN", secrets.alertAdminToken()));
        environment.putAll(alertOutside.reportEnvironment());
        return environment;
    }

    /** Kills {@code service} (SIGKILL, as a crash would) and starts it again; returns once it is ready. */
    public void killAndRestart(Service service) {
        killAndRestart(service, 0);
    }

    /** Kills replica {@code replica} of {@code service} (SIGKILL) and starts it again on its port; returns once it is ready. */
    public void killAndRestart(Service service, int replica) {
        kill(service, replica);
        restart(service, replica);
    }

    /** Kills replica {@code replica} of {@code service} at once (SIGKILL, as a crash or an OOM kill would). */
    public synchronized void kill(Service service, int replica) {
        ServiceProcess process = replicasOf(service)[replica];
        replicasOf(service)[replica] = null;
        if (process != null) {
            process.kill();
        }
    }

    /** Starts replica {@code replica} of {@code service} again after {@link #kill}; returns once it is ready. */
    public void restart(Service service, int replica) {
        ServiceProcess process = startService(service, replica);
        keep(() -> replicasOf(service)[replica] = process, process::close);
    }

    /** Signs bearer tokens api-service accepts. */
    public ApiTokens apiTokens() {
        return apiTokens;
    }

    /** The webhook secrets ingest-service was given; the simulators sign with them. */
    public WebhookSecrets secrets() {
        return secrets;
    }

    /** Records a started part, unless the system was closed meanwhile: then stops it at once. */
    private synchronized void keep(Runnable record, Runnable stop) {
        if (closed) {
            stop.run();
            throw new IllegalStateException("Levain was stopped while starting");
        }
        record.run();
    }

    private Path runDir() {
        return dataDir.resolve("run");
    }

    private Path runDir(int replica) {
        return replica == 0 ? runDir() : runDir().resolve("replica-" + replica);
    }

    private Path logDir(int replica) {
        Path logs = dataDir.resolve("logs");
        return replica == 0 ? logs : logs.resolve("replica-" + replica);
    }

    private synchronized int replicaCount(Service service) {
        return ports.containsKey(service) ? ports.get(service).length : 1;
    }

    private synchronized int port(Service service, int replica) {
        return ports.containsKey(service) ? ports.get(service)[replica] : service.port(httpBasePort);
    }

    private synchronized ServiceProcess[] replicasOf(Service service) {
        return services.computeIfAbsent(service, s -> new ServiceProcess[replicaCount(s)]);
    }

    /** Where the output of {@code service} goes. */
    public Path log(Service service) {
        return log(service, 0);
    }

    /** Where the output of replica {@code replica} of {@code service} goes. */
    public Path log(Service service, int replica) {
        return logDir(replica).resolve(service.module() + ".log");
    }

    public synchronized DevStack stack() {
        return stack;
    }

    /** The simulated POS vendor, CRM and inventory system ingest is connected to. */
    public synchronized OutsideSystems outside() {
        return outside;
    }

    /** The Slack stand-in and mail catcher alert-service delivers to. */
    public synchronized AlertOutside alertOutside() {
        return alertOutside;
    }

    public String url(Service service) {
        return url(service, 0);
    }

    /** The address of replica {@code replica} of {@code service}, the same across its restarts. */
    public String url(Service service, int replica) {
        return "http://127.0.0.1:" + port(service, replica);
    }

    /** Stops the services in reverse start order, then PostgreSQL and Kafka. */
    @Override
    public synchronized void close() {
        closed = true;
        List<ServiceProcess[]> running = new ArrayList<>(services.values());
        Collections.reverse(running);
        services.clear();
        try {
            // A service's replicas stop together: a normalizer's graceful stop alone takes seconds.
            running.forEach(replicas -> Arrays.stream(replicas).filter(Objects::nonNull)
                    .map(process -> CompletableFuture.runAsync(process::close)).toList()
                    .forEach(CompletableFuture::join));
            if (outside != null) {
                outside.close();
                outside = null;
            }
            if (alertOutside != null) {
                alertOutside.close();
                alertOutside = null;
            }
        } finally {
            if (stack != null) {
                stack.close();
                stack = null;
            }
        }
    }
}
