package dev.levain.devstack;

import dev.levain.devstack.kafka.KafkaBroker;
import dev.levain.devstack.postgres.PostgresServer;
import dev.levain.events.Topics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One real PostgreSQL and one real Kafka broker, with Levain's database and topics created,
 * for the launcher, tests and benchmarks.
 */
public final class DevStack implements AutoCloseable {

    /** Default ports of {@code levain up}: away from PostgreSQL's 5432 and Kafka's 9092. */
    public static final int DEFAULT_PG_PORT = 15432;
    public static final int DEFAULT_KAFKA_PORT = 19092;

    private final PostgresServer postgres;
    private final KafkaBroker kafka;

    private DevStack(PostgresServer postgres, KafkaBroker kafka) {
        this.postgres = postgres;
        this.kafka = kafka;
    }

    /**
     * Starts both servers with their data under {@code dataDir}. A port of 0 picks a free one.
     * A non-durable stack skips fsync, for throw-away test data.
     */
    public static DevStack start(Path dataDir, int pgPort, int kafkaPort, boolean durable) {
        quietLogs();
        if (!DataDirs.tryLock(dataDir)) {
            throw new IllegalStateException("Another devstack or levain up is running on " + dataDir);
        }
        PostgresServer postgres = PostgresServer.start(dataDir.resolve("postgres"), Ports.orFree(pgPort), durable);
        try {
            int brokerPort = Ports.orFree(kafkaPort);
            int controllerPort = kafkaPort == 0 ? Ports.free() : kafkaPort + 1;
            KafkaBroker kafka = KafkaBroker.start(dataDir.resolve("kafka"), brokerPort, controllerPort);
            // Raw topics are the system of record for replays: keep them forever by default.
            kafka.createTopics(Topics.ALL, Map.of("retention.ms", "-1"));
            return new DevStack(postgres, kafka);
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    /**
     * The broker logs through slf4j-simple. Its routine warnings (first start of an empty log,
     * closing clients at shutdown) say nothing to someone running Levain locally: errors only,
     * unless {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} says otherwise. Takes effect only
     * before the first logger is created: mains call it first.
     */
    public static void quietLogs() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "error"));
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    /** The settings a Levain service needs to reach this stack, as Quarkus configuration keys. */
    public Map<String, String> quarkusConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
        config.put("quarkus.datasource.username", PostgresServer.SUPERUSER);
        config.put("quarkus.datasource.password", PostgresServer.PASSWORD);
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        return config;
    }

    /** Stops PostgreSQL first: it is the server that outlives this JVM if the rest of the stop is cut short. */
    /** The same settings as environment variables, the way a service reads them in production. */
    public Map<String, String> serviceEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        quarkusConfig().forEach((key, value) -> environment.put(
                key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'), value));
        return environment;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } finally {
            kafka.close();
        }
    }

    /** Stops what a killed devstack left running on {@code dataDir}. */
    public static void stopLeftovers(Path dataDir) {
        PostgresServer.stopLeftover(dataDir.resolve("postgres"));
    }
}
