package dev.levain.normalize.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.devstack.test.ExposedMetrics;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.CloudEvents;
import dev.levain.events.Topics;
import dev.levain.normalize.support.Db;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class RawPosConsumerTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @Inject
    AgroalDataSource dataSource;

    @Test
    void rawSaleBecomesRowsWithLineageAndIsAnnounced() {
        String saleId = newSaleId();
        byte[] payload = sale("LYO-01", saleId, null, "2026-11-27T08:15:00+01:00", "Marie@Example.COM",
                line("BAGUETTE", "2", "1.20", "0.40"), line("croissant", "3", "1.10", null)).getBytes(StandardCharsets.UTF_8);
        send(saleId, payload, java.time.Instant.now().toString());

        Map<String, Object> sale = awaitSale("LYO-01/" + saleId);
        assertThat(sale.get("gross")).isEqualTo(new BigDecimal("5.70"));
        assertThat(sale.get("discount")).isEqualTo(new BigDecimal("0.40"));
        assertThat(sale.get("net")).isEqualTo(new BigDecimal("5.30"));
        assertThat(sale.get("status")).isEqualTo("completed");
        assertThat(sale.get("business_date")).isEqualTo(java.sql.Date.valueOf("2026-11-27"));
        assertThat(sale.get("email")).isEqualTo("marie@example.com");
        assertThat(sale.get("store")).isEqualTo("LYO-01");
        assertThat((byte[]) sale.get("raw_payload")).isEqualTo(payload);

        List<Map<String, Object>> lines = query("""
                SELECT p.sku, l.qty, l.unit_price, l.discount, l.net FROM core.sale_line l
                JOIN core.sale s ON s.id = l.sale_id JOIN core.product p ON p.id = l.product_id
                WHERE s.source_id = ? ORDER BY l.line_no""", "LYO-01/" + saleId);
        assertThat(lines).extracting(l -> l.get("sku")).containsExactly("BAGUETTE", "CROISSANT");
        assertThat(lines).extracting(l -> l.get("net")).containsExactly(new BigDecimal("2.00"), new BigDecimal("3.30"));

        await().atMost(WITHIN).untilAsserted(() -> assertThat(kafka.readAll(Topics.SALES_RECORDED))
                .filteredOn(r -> ("pos-native:LYO-01/" + saleId).equals(r.key()))
                .singleElement()
                .satisfies(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                        .contains("\"net\":5.30", "\"business_date\":\"2026-11-27\"", "\"line_count\":2")));
    }

    @Test
    void businessDayIsTheStoresLocalDay() {
        String saleId = newSaleId();
        // 23:30 UTC is already the next day in Paris.
        send(saleId, sale("LYO-01", saleId, null, "2026-11-27T23:30:00Z", null, line("TARTE", "1", "12.00", null)));
        assertThat(awaitSale("LYO-01/" + saleId).get("business_date")).isEqualTo(java.sql.Date.valueOf(LocalDate.of(2026, 11, 28)));
    }

    @Test
    void redeliveredRawEventChangesNothing() {
        String saleId = newSaleId();
        String payload = sale("LYO-02", saleId, null, "2026-11-27T09:00:00+01:00", null, line("PAIN", "1", "2.50", null));
        send(saleId, payload, "2026-11-27T08:00:01Z");
        Map<String, Object> first = awaitSale("LYO-02/" + saleId);
        send(saleId, payload, "2026-11-27T08:00:01Z");

        await().atMost(WITHIN).until(() -> count("SELECT count(*) FROM core.raw_event WHERE kafka_key = ?", saleId) == 2);
        Map<String, Object> after = awaitSale("LYO-02/" + saleId);
        assertThat(after.get("raw_event_id")).isEqualTo(first.get("raw_event_id"));
        assertThat(after.get("updated_at")).isEqualTo(first.get("updated_at"));
        assertThat(count("SELECT count(*) FROM core.sale_line l JOIN core.sale s ON s.id = l.sale_id WHERE s.source_id = ?",
                "LYO-02/" + saleId)).isEqualTo(1);
        // Both deliveries are announced (at least once), under one id that consumers dedupe on.
        await().atMost(WITHIN).untilAsserted(() -> {
            List<String> ids = kafka.readAll(Topics.SALES_RECORDED).stream()
                    .filter(r -> ("pos-native:LYO-02/" + saleId).equals(r.key()))
                    .map(r -> header(r, "ce_id"))
                    .toList();
            assertThat(ids).hasSize(2);
            assertThat(java.util.Set.copyOf(ids)).hasSize(1);
        });
    }

    @Test
    void unversionedCorrectionReceivedLaterReplacesTheSale() {
        String saleId = newSaleId();
        send(saleId, sale("LYO-02", saleId, null, "2026-11-27T09:00:00+01:00", null, line("PAIN", "1", "2.50", null)),
                "2026-11-27T08:00:01Z");
        send(saleId, sale("LYO-02", saleId, null, "2026-11-27T09:00:00+01:00", null, line("PAIN", "3", "2.50", null))
                .replace("\"lines\"", "\"status\": \"VOIDED\", \"lines\""), "2026-11-27T08:05:00Z");

        await().atMost(WITHIN).untilAsserted(() -> {
            Map<String, Object> sale = awaitSale("LYO-02/" + saleId);
            assertThat(sale.get("status")).isEqualTo("voided");
            assertThat(sale.get("net")).isEqualTo(new BigDecimal("7.50"));
        });
    }

    @Test
    void saleWithUnknownStatusIsRejectedWithItsReason() {
        String saleId = newSaleId();
        send(saleId, sale("LYO-03", saleId, null, "2026-11-27T10:00:00+01:00", null, line("PAIN", "1", "2.50", null))
                .replace("\"lines\"", "\"status\": \"refunded\", \"lines\""));

        await().atMost(WITHIN).until(() -> count("SELECT count(*) FROM core.rejected_event WHERE convert_from(payload, 'UTF8') LIKE ?",
                "%" + saleId + "%") == 1);
        assertThat(count("SELECT count(*) FROM core.sale WHERE source_id = ?", "LYO-03/" + saleId)).isZero();
        assertThat(query("SELECT reason FROM core.rejected_event WHERE convert_from(payload, 'UTF8') LIKE ?", "%" + saleId + "%")
                .get(0).get("reason").toString()).startsWith("status must be one of");
    }

    @Test
    void eventOfATypeWithoutMappingIsKeptAsRejectedForAReplay() {
        String saleId = newSaleId();
        kafka.send(Topics.RAW_POS, saleId, "{}".getBytes(StandardCharsets.UTF_8), Map.of(
                "ce_specversion", "1.0", "ce_id", saleId, "ce_type", "levain.raw.pos.gift-card",
                "ce_source", "levain/pos-native/LYO-04", "ce_receivedat", java.time.Instant.now().toString()));

        String rejected = "SELECT reason FROM core.rejected_event WHERE event_id = ?";
        await().atMost(WITHIN).until(() -> !query(rejected, saleId).isEmpty());
        assertThat(query(rejected, saleId).get(0).get("reason").toString())
                .isEqualTo("No mapping for events of type levain.raw.pos.gift-card; replay it once the normalizer "
                        + "maps that type");
    }

    @Test
    void olderVersionArrivingLateChangesNothing() {
        String saleId = newSaleId();
        send(saleId, sale("LYO-02", saleId, 2L, "2026-11-27T09:00:00+01:00", null, line("PAIN", "2", "2.50", null)));
        send(saleId, sale("LYO-02", saleId, 1L, "2026-11-27T09:00:00+01:00", null, line("PAIN", "1", "2.50", null)));

        await().atMost(WITHIN).until(() -> count("SELECT count(*) FROM core.raw_event WHERE kafka_key = ?", saleId) == 2);
        Map<String, Object> sale = awaitSale("LYO-02/" + saleId);
        assertThat(sale.get("version")).isEqualTo(2L);
        assertThat(sale.get("net")).isEqualTo(new BigDecimal("5.00"));
    }

    @Test
    void newerVersionReplacesTheSaleAndItsLines() {
        String saleId = newSaleId();
        send(saleId, sale("LYO-02", saleId, 1L, "2026-11-27T09:00:00+01:00", null, line("PAIN", "1", "2.50", null)));
        send(saleId, sale("LYO-02", saleId, 2L, "2026-11-27T09:00:00+01:00", null,
                line("PAIN", "1", "2.50", null), line("FLAN", "1", "3.00", null)));

        await().atMost(WITHIN).untilAsserted(() -> assertThat(awaitSale("LYO-02/" + saleId).get("version")).isEqualTo(2L));
        assertThat(awaitSale("LYO-02/" + saleId).get("net")).isEqualTo(new BigDecimal("5.50"));
        assertThat(count("SELECT count(*) FROM core.sale_line l JOIN core.sale s ON s.id = l.sale_id WHERE s.source_id = ?",
                "LYO-02/" + saleId)).isEqualTo(2);
    }

    @Test
    void poisonRecordIsDeadLetteredWithItsReasonAndDoesNotBlockItsPartition() {
        String saleId = newSaleId();
        String poisonId = "poison-" + UUID.randomUUID();
        // Same key, so same partition: the good sale comes after the poison record.
        kafka.send(Topics.RAW_POS, saleId, "{not json".getBytes(StandardCharsets.UTF_8),
                Map.of("ce_id", poisonId, "ce_type", "levain.raw.pos.sale"));
        send(saleId, sale("LYO-03", saleId, null, "2026-11-27T10:00:00+01:00", null, line("PAIN", "1", "2.50", null)));

        awaitSale("LYO-03/" + saleId);
        await().atMost(WITHIN).until(() -> count("SELECT count(*) FROM core.rejected_event WHERE event_id = ?", poisonId) == 1);
        assertThat(query("SELECT reason FROM core.rejected_event WHERE event_id = ?", poisonId).get(0).get("reason").toString())
                .startsWith("payload is not a native POS sale");
        await().atMost(WITHIN).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> dead = kafka.readAll(Topics.deadLetter(Topics.RAW_POS)).stream()
                    .filter(r -> saleId.equals(r.key())).toList();
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).value()).isEqualTo("{not json".getBytes(StandardCharsets.UTF_8));
            assertThat(header(dead.get(0), CloudEvents.DLQ_REASON_HEADER)).startsWith("payload is not a native POS sale");
            assertThat(header(dead.get(0), CloudEvents.DLQ_TOPIC_HEADER)).isEqualTo(Topics.RAW_POS);
            assertThat(header(dead.get(0), "ce_id")).isEqualTo(poisonId);
        });
    }

    @Test
    void saleInAnotherCurrencyThanItsStoresIsRejectedAndNeverCountedWithItsFigures() {
        String store = "CUR-" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        String euros = newSaleId();
        String dollars = newSaleId();
        send(euros, sale(store, euros, null, "2026-11-26T10:00:00+01:00", null, line("PAIN", "2", "2.50", null)));
        send(dollars, sale(store, dollars, null, "2026-11-26T11:00:00+01:00", null, line("PAIN", "4", "3.00", null))
                .replaceFirst("\\{", "{\"currency\": \"USD\", "));

        awaitSale(store + "/" + euros);
        await().atMost(WITHIN).until(() -> count("""
                SELECT count(*) FROM core.rejected_event WHERE reason LIKE 'currency is USD but store %'
                AND convert_from(payload, 'UTF8') LIKE '%' || ? || '%'""", dollars) == 1);
        assertThat(count("SELECT count(*) FROM core.sale WHERE source_id = ?", store + "/" + dollars)).isZero();
        assertThat(query("""
                SELECT d.net, d.transactions FROM core.daily_store_sales d JOIN core.store s ON s.id = d.store_id
                WHERE s.code = ?""", store)).containsExactly(Map.of("net", new BigDecimal("5.00"), "transactions", 1L));
        await().atMost(WITHIN).untilAsserted(() -> assertThat(kafka.readAll(Topics.deadLetter(Topics.RAW_POS)).stream()
                .filter(r -> dollars.equals(r.key())).map(r -> header(r, CloudEvents.DLQ_REASON_HEADER)).toList())
                .containsExactly("currency is USD but store " + store + " sells in EUR: a sale is never added up across currencies"));
    }

    /**
     * Three good sales and two poison records sent to levain.raw.pos are five more records and two more
     * dead letters at /q/metrics, each record timed from its receipt; the consumers' lag is exposed.
     */
    @Test
    void metricsCountRecordsAndDeadLettersOfWhatWasSent() {
        String topic = "topic=\"" + Topics.RAW_POS + "\"";
        String before = metrics();
        List<String> sales = List.of(newSaleId(), newSaleId(), newSaleId());
        List<String> poisons = List.of("poison-" + UUID.randomUUID(), "poison-" + UUID.randomUUID());
        for (String poison : poisons) {
            kafka.send(Topics.RAW_POS, poison, "{not json".getBytes(StandardCharsets.UTF_8),
                    Map.of("ce_id", poison, "ce_type", "levain.raw.pos.sale"));
        }
        for (String saleId : sales) {
            send(saleId, sale("LYO-04", saleId, null, "2026-11-27T11:00:00+01:00", null, line("PAIN", "1", "2.50", null)));
        }

        sales.forEach(saleId -> awaitSale("LYO-04/" + saleId));
        await().atMost(WITHIN).untilAsserted(() -> {
            String after = metrics();
            assertThat(delta(before, after, "levain_normalize_records_total", topic)).isEqualTo(5);
            assertThat(delta(before, after, "levain_normalize_dead_letters_total", topic)).isEqualTo(2);
            // Every record is timed, the poison ones from their Kafka timestamp (they carry no ce_receivedat).
            assertThat(delta(before, after, "levain_normalize_delay_seconds_count", topic)).isEqualTo(5);
            assertThat(delta(before, after, "levain_normalize_batches_total", topic)).isBetween(1.0, 5.0);
        });
        String metrics = metrics();
        assertThat(ExposedMetrics.mismatches(metrics)).as("Kafka client metrics exposed: %s",
                ExposedMetrics.exposed(metrics).stream().filter(name -> name.startsWith("kafka_consumer_fetch")).toList())
                .isEmpty();
    }

    private static double delta(String before, String after, String name, String... labels) {
        return ExposedMetrics.sum(after, name, labels) - ExposedMetrics.sum(before, name, labels);
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private void send(String saleId, String payload) {
        send(saleId, payload, java.time.Instant.now().toString());
    }

    private void send(String saleId, String payload, String receivedAt) {
        send(saleId, payload.getBytes(StandardCharsets.UTF_8), receivedAt);
    }

    private void send(String saleId, byte[] payload, String receivedAt) {
        kafka.send(Topics.RAW_POS, saleId, payload, Map.of(
                "ce_specversion", "1.0", "ce_id", UUID.randomUUID().toString(), "ce_type", "levain.raw.pos.sale",
                "ce_source", "levain/pos-native/test", "ce_time", "2026-11-27T08:15:00+01:00",
                "ce_receivedat", receivedAt));
    }

    private Map<String, Object> awaitSale(String sourceId) {
        String sql = """
                SELECT s.*, c.email, st.code AS store, r.payload AS raw_payload FROM core.sale s
                JOIN core.store st ON st.id = s.store_id JOIN core.raw_event r ON r.id = s.raw_event_id
                LEFT JOIN core.customer c ON c.id = s.customer_id WHERE s.source = 'pos-native' AND s.source_id = ?""";
        await().atMost(WITHIN).until(() -> !query(sql, sourceId).isEmpty());
        return query(sql, sourceId).get(0);
    }

    private long count(String sql, Object... args) {
        return new Db(dataSource).count(sql, args);
    }

    private List<Map<String, Object>> query(String sql, Object... args) {
        return new Db(dataSource).query(sql, args);
    }

    private static String newSaleId() {
        return "S-" + UUID.randomUUID();
    }

    private static String sale(String store, String saleId, Long version, String occurredAt, String email, String... lines) {
        return """
                {"store_code": "%s", "sale_id": "%s", %s"occurred_at": "%s", %s"lines": [%s]}"""
                .formatted(store, saleId, version == null ? "" : "\"version\": " + version + ", ", occurredAt,
                        email == null ? "" : "\"customer_email\": \"" + email + "\", ", String.join(",", lines));
    }

    private static String line(String sku, String qty, String unitPrice, String discount) {
        return """
                {"sku": "%s", "quantity": %s, "unit_price": %s%s}"""
                .formatted(sku, qty, unitPrice, discount == null ? "" : ", \"discount\": " + discount);
    }
}
