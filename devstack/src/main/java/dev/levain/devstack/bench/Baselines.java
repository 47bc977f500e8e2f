package dev.levain.devstack.bench;

import dev.levain.devstack.DevStack;
import dev.levain.devstack.postgres.PostgresServer;
import dev.levain.devstack.simulator.PanPanSales;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;

/**
 * The ceilings the normalizer is compared with, measured in the same run on the same sales: a raw Kafka produce
 * of the events and a raw PostgreSQL {@code COPY} of their rows.
 */
final class Baselines {

    /** Both baselines, in sale events per second. */
    record Figures(double kafkaPerSecond, double copyPerSecond) {

        /** {@code " = 0.123 × raw Kafka produce, 0.456 × raw COPY"}. */
        String ratios(double eventsPerSecond) {
            return String.format("%.3f × raw Kafka produce, %.3f × raw COPY", eventsPerSecond / kafkaPerSecond,
                    eventsPerSecond / copyPerSecond);
        }
    }

    private Baselines() {
    }

    static Figures measure(DevStack stack, List<PanPanSales.Sale> sales) throws SQLException, IOException {
        double kafka = produce(stack, sales);
        double copy = copy(stack, sales);
        return new Figures(kafka, copy);
    }

    static KafkaProducer<String, byte[]> producer(DevStack stack) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static double produce(DevStack stack, List<PanPanSales.Sale> sales) {
        String topic = "levain.bench.baseline";
        stack.kafka().createTopics(List.of(topic), Map.of());
        long begin = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer(stack)) {
            for (PanPanSales.Sale sale : sales) {
                producer.send(new ProducerRecord<>(topic, sale.storeCode() + "/" + sale.saleId(),
                        sale.toJson().getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        double perSecond = sales.size() / ((System.nanoTime() - begin) / 1e9);
        System.out.printf("Baseline: raw Kafka produce (acks=all)  %,9.0f events/s%n", perSecond);
        return perSecond;
    }

    /** The same sales and lines, as rows, loaded with COPY into scratch tables: the database's own ceiling. */
    private static double copy(DevStack stack, List<PanPanSales.Sale> sales) throws SQLException, IOException {
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
        try (Connection connection = DriverManager.getConnection(stack.postgres().jdbcUrl(), PostgresServer.SUPERUSER,
                PostgresServer.PASSWORD); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS bench");
            statement.execute("CREATE TABLE bench.sale_copy (store text, sale_id text PRIMARY KEY, occurred_at timestamptz, email text)");
            statement.execute("CREATE TABLE bench.line_copy (sale_id text, line_no int, sku text, qty numeric(14,3),"
                    + " unit_price numeric(14,2), PRIMARY KEY (sale_id, line_no))");
            long begin = System.nanoTime();
            var copy = connection.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("COPY bench.sale_copy FROM STDIN (FORMAT csv)", new StringReader(saleRows.toString()));
            copy.copyIn("COPY bench.line_copy FROM STDIN (FORMAT csv)", new StringReader(lineRows.toString()));
            double perSecond = sales.size() / ((System.nanoTime() - begin) / 1e9);
            System.out.printf("Baseline: raw COPY of the same rows      %,9.0f events/s (sale + its lines)%n", perSecond);
            statement.execute("DROP SCHEMA bench CASCADE");
            return perSecond;
        }
    }
}
