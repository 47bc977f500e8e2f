package dev.levain.devstack.launcher;

import dev.levain.devstack.DevStack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The whole system on one machine: devstack plus the four packaged services as separate processes. */
public final class LevainSystem implements AutoCloseable {

    private final DevStack stack;
    private final Map<Service, ServiceProcess> services;

    private LevainSystem(DevStack stack, Map<Service, ServiceProcess> services) {
        this.stack = stack;
        this.services = services;
    }

    /**
     * Starts PostgreSQL and Kafka with their data under {@code dataDir}, then each service from
     * its build under {@code home}; on any failure, stops what was started.
     */
    public static LevainSystem start(Path home, Path dataDir, int pgPort, int kafkaPort, int httpBasePort) {
        DevStack stack = DevStack.start(dataDir, pgPort, kafkaPort, true);
        Map<Service, ServiceProcess> services = new EnumMap<>(Service.class);
        try {
            Map<String, String> environment = environment(stack);
            for (Service service : Service.values()) {
                services.put(service, ServiceProcess.start(home, service, service.port(httpBasePort), environment,
                        dataDir.resolve("logs")));
            }
            return new LevainSystem(stack, services);
        } catch (RuntimeException e) {
            new LevainSystem(stack, services).close();
            throw e;
        }
    }

    /** What each service reads in production from its ConfigMap and Secret. */
    private static Map<String, String> environment(DevStack stack) {
        Map<String, String> config = stack.quarkusConfig();
        return Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", config.get("quarkus.datasource.jdbc.url"),
                "QUARKUS_DATASOURCE_USERNAME", config.get("quarkus.datasource.username"),
                "QUARKUS_DATASOURCE_PASSWORD", config.get("quarkus.datasource.password"),
                "KAFKA_BOOTSTRAP_SERVERS", config.get("kafka.bootstrap.servers"));
    }

    public DevStack stack() {
        return stack;
    }

    public String url(Service service) {
        return services.get(service).url();
    }

    public List<Long> servicePids() {
        return services.values().stream().map(ServiceProcess::pid).toList();
    }

    /** Stops the services in reverse start order, then Kafka and PostgreSQL. */
    @Override
    public void close() {
        List<ServiceProcess> running = new ArrayList<>(services.values());
        Collections.reverse(running);
        try {
            running.forEach(ServiceProcess::close);
        } finally {
            stack.close();
        }
    }
}
