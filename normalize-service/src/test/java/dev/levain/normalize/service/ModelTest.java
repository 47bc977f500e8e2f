package dev.levain.normalize.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.devstack.test.ExposedMetrics;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.EventTypes;
import dev.levain.events.Json;
import dev.levain.events.Topics;
import dev.levain.normalize.support.Db;
import dev.levain.normalize.support.RawEvents;
import dev.levain.normalize.support.Rollups;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The model as a whole: products from sales and the catalog, one customer across sources, stock, replay, lineage. */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class ModelTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final String ADMIN = "Bearer test-admin-token";

    private final RawEvents raw = new RawEvents();
    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @Inject
    AgroalDataSource dataSource;

    private Db db;

    @BeforeEach
    void database() {
        db = new Db(dataSource);
    }

    @Test
    void unknownSkuIsKeptUnmappedThenEnrichedByTheCatalogAndItsPastSalesCosted() {
        String store = newStore();
        String sku = "RYE-" + suffix().toUpperCase();
        sendSale(store, "S-1", null, "2026-11-20T09:00:00+01:00", null, line(sku, "2", "3.00"));
        await().atMost(WITHIN).until(() -> db.count("SELECT count(*) FROM core.sale_line l JOIN core.product p ON p.id = l.product_id WHERE p.sku = ?", sku) == 1);
        assertThat(db.query("SELECT name, unmapped FROM core.product WHERE sku = ?", sku).get(0))
                .containsEntry("name", sku).containsEntry("unmapped", true);

        raw.send(Topics.RAW_INVENTORY, EventTypes.RAW_INVENTORY_PRODUCT, "levain/inventory/panpan", sku, """
                {"sku": "%s", "name": "  Pain   de seigle ", "category": "Bread", "unit_cost": 1.10,
                 "reorder_point": 5, "updated_at": "2026-11-20T06:00:00Z"}""".formatted(sku));

        await().atMost(WITHIN).untilAsserted(() -> assertThat(db.query(
                "SELECT name, unmapped, unit_cost FROM core.product WHERE sku = ?", sku).get(0))
                .containsEntry("name", "Pain de seigle").containsEntry("unmapped", false)
                .containsEntry("unit_cost", new BigDecimal("1.10")));
        await().atMost(WITHIN).untilAsserted(() -> assertThat(db.value("""
                SELECT d.cogs FROM core.daily_product_sales d JOIN core.store s ON s.id = d.store_id
                WHERE s.code = ? AND d.business_date = '2026-11-20'""", store)).isEqualTo(new BigDecimal("2.20")));
        assertThat(db.value("""
                SELECT d.cogs FROM core.daily_store_sales d JOIN core.store s ON s.id = d.store_id
                WHERE s.code = ? AND d.business_date = '2026-11-20'""", store)).isEqualTo(new BigDecimal("2.20"));
    }

    @Test
    void refundArrivingBeforeItsSaleIsKeptAndCountedOnItsOwnDayWhenTheSaleLands() {
        String location = "L" + suffix().toUpperCase();
        String orderId = "O-" + suffix();
        sendSquareOrder(orderId, """
                {"id": "R-%1$s", "location_id": "%2$s", "returns": [{"uid": "RET-1", "source_order_id": "%1$s"}],
                 "return_amounts": {"total_money": {"amount": 250, "currency": "EUR"}, "tax_money": {"amount": 0, "currency": "EUR"}},
                 "refunds": [{"id": "RF-%1$s", "status": "APPROVED", "created_at": "2026-11-27T10:00:00Z",
                              "amount_money": {"amount": 250, "currency": "EUR"}}],
                 "state": "COMPLETED", "version": 1, "created_at": "2026-11-27T10:00:00Z", "closed_at": "2026-11-27T10:00:00Z"}"""
                .formatted(orderId, location));
        await().atMost(WITHIN).until(() -> db.count("SELECT count(*) FROM core.refund WHERE source_id = ? AND sale_id IS NULL", "RF-" + orderId) == 1);

        sendSquareOrder(orderId, """
                {"id": "%1$s", "location_id": "%2$s", "state": "COMPLETED", "version": 2,
                 "created_at": "2026-11-26T09:00:00Z", "closed_at": "2026-11-26T09:00:00Z",
                 "line_items": [{"uid": "LI-1", "catalog_object_id": "PAIN", "name": "Pain", "quantity": "2",
                                 "base_price_money": {"amount": 250, "currency": "EUR"},
                                 "gross_sales_money": {"amount": 500, "currency": "EUR"},
                                 "total_discount_money": {"amount": 0, "currency": "EUR"},
                                 "total_tax_money": {"amount": 0, "currency": "EUR"},
                                 "total_money": {"amount": 500, "currency": "EUR"}}],
                 "total_money": {"amount": 500, "currency": "EUR"}, "total_tax_money": {"amount": 0, "currency": "EUR"}}"""
                .formatted(orderId, location));

        await().atMost(WITHIN).until(() -> db.count("SELECT count(*) FROM core.refund WHERE source_id = ? AND sale_id IS NOT NULL", "RF-" + orderId) == 1);
        assertThat(db.value("SELECT refunded FROM core.sale WHERE source = 'pos-square' AND source_id = ?", orderId))
                .isEqualTo(new BigDecimal("2.50"));
        assertThat(db.query("""
                SELECT d.business_date::text AS day, d.gross, d.refunds, d.net, d.transactions FROM core.daily_store_sales d
                JOIN core.store s ON s.id = d.store_id WHERE s.code = ? ORDER BY 1""", location))
                .containsExactly(
                        Map.of("day", "2026-11-26", "gross", new BigDecimal("5.00"), "refunds", new BigDecimal("0.00"),
                                "net", new BigDecimal("5.00"), "transactions", 1L),
                        Map.of("day", "2026-11-27", "gross", new BigDecimal("0.00"), "refunds", new BigDecimal("2.50"),
                                "net", new BigDecimal("-2.50"), "transactions", 0L));

        // A second refund, after the sale: the sale is announced again with what was refunded in all.
        sendSquareOrder(orderId, """
                {"id": "R2-%1$s", "location_id": "%2$s", "returns": [{"uid": "RET-2", "source_order_id": "%1$s"}],
                 "return_amounts": {"total_money": {"amount": 100, "currency": "EUR"}, "tax_money": {"amount": 0, "currency": "EUR"}},
                 "refunds": [{"id": "RF2-%1$s", "status": "APPROVED", "created_at": "2026-11-27T11:00:00Z",
                              "amount_money": {"amount": 100, "currency": "EUR"}}],
                 "state": "COMPLETED", "version": 1, "created_at": "2026-11-27T11:00:00Z", "closed_at": "2026-11-27T11:00:00Z"}"""
                .formatted(orderId, location));
        await().atMost(WITHIN).untilAsserted(() -> assertThat(kafka.readAll(Topics.SALES_RECORDED).stream()
                .filter(r -> ("pos-square:" + orderId).equals(r.key())).map(ModelTest::json)
                .map(e -> e.get("refunded").decimalValue()).toList())
                .anySatisfy(refunded -> assertThat(refunded).isEqualByComparingTo("3.50")));
    }

    /**
     * A Square return order itemizing what came back: its refund holds a line per product, and the product
     * rollup counts the units and money given back on the refund's day (net lowered by as much), until the
     * refund is rejected by a later version of the return.
     */
    @Test
    void returnedProductsGoBackIntoTheirRollupOnTheRefundsDayAndLeaveItWhenTheRefundFails() {
        String location = "L" + suffix().toUpperCase();
        String orderId = "O-" + suffix();
        String pain = "PAIN-" + suffix().toUpperCase();
        String tarte = "TARTE-" + suffix().toUpperCase();
        sendSquareOrder(orderId, """
                {"id": "%1$s", "location_id": "%2$s", "state": "COMPLETED", "version": 1,
                 "created_at": "2026-11-26T09:00:00Z", "closed_at": "2026-11-26T09:00:00Z",
                 "line_items": [{"uid": "LI-1", "catalog_object_id": "%3$s", "name": "Pain", "quantity": "2",
                                 "base_price_money": {"amount": 250, "currency": "EUR"},
                                 "total_money": {"amount": 500, "currency": "EUR"}},
                                {"uid": "LI-2", "catalog_object_id": "%4$s", "name": "Tarte", "quantity": "1",
                                 "base_price_money": {"amount": 800, "currency": "EUR"},
                                 "total_money": {"amount": 800, "currency": "EUR"}}],
                 "total_money": {"amount": 1300, "currency": "EUR"}}""".formatted(orderId, location, pain, tarte));
        String returnOrder = """
                {"id": "R-%1$s", "location_id": "%2$s",
                 "returns": [{"uid": "RET-1", "source_order_id": "%1$s",
                              "return_line_items": [{"uid": "RL-1", "catalog_object_id": "%3$s", "name": "Pain",
                                                     "quantity": "1", "total_money": {"amount": 250, "currency": "EUR"}}]}],
                 "return_amounts": {"total_money": {"amount": 250, "currency": "EUR"}},
                 "refunds": [{"id": "RF-%1$s", "status": "%4$s", "created_at": "2026-11-27T10:00:00Z",
                              "amount_money": {"amount": 250, "currency": "EUR"}}],
                 "state": "COMPLETED", "version": %5$d, "created_at": "2026-11-27T10:00:00Z"}""";
        sendSquareOrder(orderId, returnOrder.formatted(orderId, location, pain, "APPROVED", 1));

        String products = """
                SELECT d.business_date::text AS day, p.sku, d.qty, d.returned_qty, d.refunds, d.net
                FROM core.daily_product_sales d JOIN core.store s ON s.id = d.store_id JOIN core.product p ON p.id = d.product_id
                WHERE s.code = ? ORDER BY 1, 2""";
        await().atMost(WITHIN).untilAsserted(() -> assertThat(db.query(products, location)).containsExactly(
                Map.of("day", "2026-11-26", "sku", pain, "qty", new BigDecimal("2.000"),
                        "returned_qty", new BigDecimal("0.000"), "refunds", new BigDecimal("0.00"),
                        "net", new BigDecimal("5.00")),
                Map.of("day", "2026-11-26", "sku", tarte, "qty", new BigDecimal("1.000"),
                        "returned_qty", new BigDecimal("0.000"), "refunds", new BigDecimal("0.00"),
                        "net", new BigDecimal("8.00")),
                Map.of("day", "2026-11-27", "sku", pain, "qty", new BigDecimal("0.000"),
                        "returned_qty", new BigDecimal("1.000"), "refunds", new BigDecimal("2.50"),
                        "net", new BigDecimal("-2.50"))));
        assertThat(db.query("""
                SELECT p.sku, x.qty, x.amount FROM core.refund_line x JOIN core.refund r ON r.id = x.refund_id
                JOIN core.product p ON p.id = x.product_id WHERE r.source_id = ?""", "RF-" + orderId))
                .containsExactly(Map.of("sku", pain, "qty", new BigDecimal("1.000"), "amount", new BigDecimal("2.50")));

        sendSquareOrder(orderId, returnOrder.formatted(orderId, location, pain, "REJECTED", 2));
        await().atMost(WITHIN).until(() -> db.count("SELECT count(*) FROM core.refund WHERE source_id = ? AND status = 'failed'",
                "RF-" + orderId) == 1);
        assertThat(db.query(products, location)).filteredOn(row -> "2026-11-27".equals(row.get("day")))
                .allSatisfy(row -> {
                    assertThat((BigDecimal) row.get("returned_qty")).isZero();
                    assertThat((BigDecimal) row.get("refunds")).isZero();
                    assertThat((BigDecimal) row.get("net")).isZero();
                });
    }

    @Test
    void everyRawEventIsInTheModelOrRejectedAndTheRollupsEqualTheModel() {
        // Reconciliation over everything this module's tests published, once the normalizer is idle.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            long published = Topics.RAW.stream().mapToLong(topic -> kafka.readAll(topic).size()).sum();
            long landed = db.count("SELECT count(*) FROM core.raw_event WHERE kafka_offset >= 0");
            long rejected = db.count("""
                    SELECT count(*) FROM core.rejected_event r WHERE kafka_offset >= 0 AND NOT EXISTS
                        (SELECT 1 FROM core.raw_event e WHERE (e.topic, e.kafka_partition, e.kafka_offset)
                                                            = (r.topic, r.kafka_partition, r.kafka_offset))""");
            assertThat(landed + rejected).isEqualTo(published);
            assertThat(db.count(Rollups.DIFFERENCES)).isZero();
            // Kept batch after batch, they are what the one definition of the rollups gives at once.
            assertThat(Rollups.changedByRebuild(dataSource)).as("rollup rows a rebuild would change").isZero();
        });
    }

    @Test
    void sameBuyerSeenInThePosAndTheCrmBecomesOneCustomerAndMergesKeepTheKpisExact() {
        String store = newStore();
        String known = "ana." + suffix() + "@example.com";
        String other = "ana.pro." + suffix() + "@example.com";
        String crmId = "C-" + suffix();
        sendSale(store, "S-1", null, "2026-11-21T09:00:00+01:00", known.toUpperCase(), line("PAIN", "1", "2.50"));
        awaitSale(store + "/S-1");
        sendContact(crmId, "2026-11-21T10:00:00Z", other, "06 12 34 56 78");
        await().atMost(WITHIN).until(() -> db.count("SELECT count(*) FROM core.customer_identity WHERE source = 'crm' AND source_id = ?", crmId) == 1);
        sendSale(store, "S-2", null, "2026-11-21T11:00:00+01:00", other, line("PAIN", "2", "2.50"));
        awaitSale(store + "/S-2");
        assertThat(customersOf(store)).hasSize(2);

        // The CRM learns that the contact's e-mail is the one the till knew: two customers were one person.
        sendContact(crmId, "2026-11-21T12:00:00Z", known, "+33 6 12 34 56 78");

        await().atMost(WITHIN).untilAsserted(() -> assertThat(customersOf(store)).hasSize(1));
        Object customer = customersOf(store).get(0);
        assertThat(db.query("SELECT email, phone, name FROM core.customer WHERE id = ?", customer).get(0))
                .containsEntry("email", known).containsEntry("phone", "+33612345678").containsEntry("name", "Ana Lopez");
        assertThat(db.query("""
                SELECT c.transactions, c.net FROM core.daily_customer_sales c JOIN core.store s ON s.id = c.store_id
                WHERE s.code = ? AND c.transactions > 0""", store))
                .containsExactly(Map.of("transactions", 2L, "net", new BigDecimal("7.50")));
        assertThat(db.count("SELECT count(*) FROM core.customer WHERE merged_into = ?", customer)).isEqualTo(1);
        assertThat(db.value("SELECT first_business_date::text FROM core.customer WHERE id = ?", customer)).isEqualTo("2026-11-21");
    }

    @Test
    void stockLevelsApplyInCountOrderAndEachStoredChangeIsAnnounced() {
        String store = newStore();
        String sku = "FLAN-" + suffix().toUpperCase();
        raw.send(Topics.RAW_INVENTORY, EventTypes.RAW_INVENTORY_PRODUCT, "levain/inventory/panpan", sku, """
                {"sku": "%s", "name": "Flan", "unit_cost": 2.00, "reorder_point": 4, "updated_at": "2026-11-22T05:00:00Z"}"""
                .formatted(sku));
        // The catalog and the counts are other keys, so other partitions, written side by side: counts announced
        // after the catalog landed carry its reorder point.
        await().atMost(WITHIN).until(() -> db.count("SELECT count(*) FROM core.product WHERE sku = ? AND reorder_point = 4", sku) == 1);
        sendLevel(sku, store, "10", "2026-11-22T07:00:00Z");
        sendLevel(sku, store, "3", "2026-11-22T15:00:00Z");
        // Counted before the level above, received after it: it changes nothing.
        sendLevel(sku, store, "7", "2026-11-22T11:00:00Z");
        // The same count delivered twice: one movement.
        sendLevel(sku, store, "3", "2026-11-22T15:00:00Z");

        String level = """
                SELECT l.on_hand, l.previous_on_hand, l.version FROM core.inventory_level l
                JOIN core.product p ON p.id = l.product_id JOIN core.store s ON s.id = l.store_id WHERE p.sku = ? AND s.code = ?""";
        await().atMost(WITHIN).until(() -> db.count("SELECT count(*) FROM core.raw_event WHERE kafka_key = ?", sku + "@" + store) == 4);
        assertThat(db.query(level, sku, store).get(0)).containsEntry("on_hand", new BigDecimal("3.000"))
                .containsEntry("previous_on_hand", new BigDecimal("10.000")).containsEntry("version", 2L);
        assertThat(db.query("""
                SELECT m.on_hand, m.delta FROM core.inventory_movement m JOIN core.product p ON p.id = m.product_id
                WHERE p.sku = ? ORDER BY m.as_of""", sku)).extracting(m -> m.get("delta"))
                .containsExactly(new BigDecimal("10.000"), new BigDecimal("-7.000"));
        assertThat(db.value("""
                SELECT d.closing_on_hand FROM core.daily_inventory d JOIN core.product p ON p.id = d.product_id
                WHERE p.sku = ? AND d.business_date = '2026-11-22'""", sku)).isEqualTo(new BigDecimal("3.000"));

        await().atMost(WITHIN).untilAsserted(() -> {
            List<JsonNode> announced = kafka.readAll(Topics.INVENTORY_CHANGED).stream()
                    .filter(r -> (sku + "@" + store).equals(r.key())).map(ModelTest::json).toList();
            assertThat(announced).extracting(e -> e.get("version").asLong()).contains(1L, 2L);
            JsonNode last = announced.stream().filter(e -> e.get("version").asLong() == 2).findFirst().orElseThrow();
            assertThat(last.get("on_hand").decimalValue()).isEqualByComparingTo("3");
            assertThat(last.get("previous_on_hand").decimalValue()).isEqualByComparingTo("10");
            assertThat(last.get("reorder_point").decimalValue()).isEqualByComparingTo("4");
            assertThat(last.get("status").asText()).isEqualTo("low");
            assertThat(last.get("product_name").asText()).isEqualTo("Flan");
        });
    }

    @Test
    void replayOfTheLandingTableGivesTheSameModelAsTheFirstPass() {
        String store = newStore();
        sendSale(store, "S-1", 1L, "2026-11-23T09:00:00+01:00", null, line("PAIN", "1", "2.50"));
        sendSale(store, "S-1", 2L, "2026-11-23T09:00:00+01:00", null, line("PAIN", "3", "2.50"));
        sendSale(store, "S-2", null, "2026-11-23T10:00:00+01:00", "rep." + suffix() + "@example.com", line("FLAN", "1", "4.00"));
        await().atMost(WITHIN).until(() -> db.count("SELECT count(*) FROM core.sale WHERE source_id = ? AND version = 2", store + "/S-1") == 1);
        awaitSale(store + "/S-2");
        List<Map<String, Object>> before = snapshot(store);
        String metricsBefore = metrics();

        JsonNode outcome = Json.mapper().valueToTree(given().header("Authorization", ADMIN).contentType("application/json")
                .body("{\"source\": \"levain/pos-native/" + store + "\"}")
                .post("/api/v1/normalize/replay").then().statusCode(200).extract().as(Map.class));

        assertThat(outcome.get("events").asLong()).isEqualTo(3);
        assertThat(snapshot(store)).isEqualTo(before);
        // The replay's progress at /q/metrics: its 3 events, none refused again, and no replay left running.
        String metricsAfter = metrics();
        assertThat(ExposedMetrics.sum(metricsAfter, "levain_normalize_replayed_total", "kind=\"landed\"")
                - ExposedMetrics.sum(metricsBefore, "levain_normalize_replayed_total", "kind=\"landed\"")).isEqualTo(3);
        assertThat(ExposedMetrics.sum(metricsAfter, "levain_normalize_replayed_rejected_total", "kind=\"landed\"")
                - ExposedMetrics.sum(metricsBefore, "levain_normalize_replayed_rejected_total", "kind=\"landed\"")).isZero();
        assertThat(ExposedMetrics.sum(metricsAfter, "levain_normalize_replays_running")).isZero();
    }

    @Test
    void eventRejectedBeforeAFixIsNormalizedByAReplayOfRejections() {
        String store = newStore();
        String csv = "store_code,sale_id,occurred_at,sku,quantity,unit_price\n" + store + ",T-9,2026-11-24T08:15:00+01:00,PAIN,2,2.50\n";
        // What an earlier normalizer, without a CSV mapping, kept aside.
        db.execute("""
                INSERT INTO core.rejected_event (topic, kafka_partition, kafka_offset, event_id, reason, payload, headers, type, source, received_at)
                VALUES ('levain.raw.pos', 0, ?, ?, 'No mapping for events of type levain.raw.pos.csv-sale yet', convert_to(?, 'UTF8'),
                        ?::jsonb, 'levain.raw.pos.csv-sale', ?, now())""",
                -Math.abs(UUID.randomUUID().getMostSignificantBits()), "csv-" + suffix(), csv,
                "{\"ce_type\": \"levain.raw.pos.csv-sale\", \"ce_source\": \"levain/pos-csv/" + store + "\"}",
                "levain/pos-csv/" + store);

        given().header("Authorization", ADMIN).contentType("application/json")
                .body("{\"type\": \"levain.raw.pos.csv-sale\"}")
                .post("/api/v1/normalize/replay-rejected").then().statusCode(200);

        assertThat(db.query("SELECT net, business_date::text AS day FROM core.sale WHERE source = 'pos-csv' AND source_id = ?", store + "/T-9"))
                .containsExactly(Map.of("net", new BigDecimal("5.00"), "day", "2026-11-24"));
        assertThat(db.count("SELECT count(*) FROM core.rejected_event WHERE source = ? AND replayed_at IS NULL", "levain/pos-csv/" + store)).isZero();
    }

    @Test
    void lineageNamesTheRawEventsBehindADaysSales() {
        String store = newStore();
        String first = sendSale(store, "S-1", 1L, "2026-11-25T09:00:00+01:00", null, line("PAIN", "1", "2.50"));
        String second = sendSale(store, "S-1", 2L, "2026-11-25T09:00:00+01:00", null, line("PAIN", "2", "2.50"));
        await().atMost(WITHIN).until(() -> db.count("SELECT count(*) FROM core.sale WHERE source_id = ? AND version = 2", store + "/S-1") == 1);

        List<Map<String, Object>> origins = given().header("Authorization", ADMIN)
                .queryParam("store", store).queryParam("date", "2026-11-25")
                .get("/api/v1/normalize/lineage/daily-sales").then().statusCode(200).extract().jsonPath().getList("$");

        assertThat(origins).extracting(o -> o.get("eventId")).containsExactly(first, second);
        assertThat(origins).allSatisfy(o -> assertThat(o.get("topic")).isEqualTo(Topics.RAW_POS));
        given().get("/api/v1/normalize/lineage/daily-sales?store=X&date=2026-11-25").then().statusCode(401);
        given().header("Authorization", ADMIN).get("/api/v1/normalize/lineage/daily-sales?store=X&date=25/11/2026")
                .then().statusCode(400);
    }

    private void sendSquareOrder(String orderId, String order) {
        raw.send(Topics.RAW_POS, EventTypes.RAW_POS_SQUARE_ORDER, "levain/pos-square/test", orderId, order);
    }

    private List<Map<String, Object>> snapshot(String store) {
        return db.query("""
                SELECT 'sale' AS what, s.source_id AS k, s.net::text AS v, s.version::text AS x FROM core.sale s
                JOIN core.store st ON st.id = s.store_id WHERE st.code = ?
                UNION ALL SELECT 'day', d.business_date::text, d.net::text, d.transactions::text FROM core.daily_store_sales d
                JOIN core.store st ON st.id = d.store_id WHERE st.code = ?
                UNION ALL SELECT 'product', d.business_date::text || d.product_id, d.qty::text, d.net::text FROM core.daily_product_sales d
                JOIN core.store st ON st.id = d.store_id WHERE st.code = ?
                UNION ALL SELECT 'customer', d.business_date::text, d.transactions::text, d.net::text FROM core.daily_customer_sales d
                JOIN core.store st ON st.id = d.store_id WHERE st.code = ?
                ORDER BY 1, 2, 3, 4""", store, store, store, store);
    }

    private List<Object> customersOf(String store) {
        return db.query("""
                SELECT DISTINCT s.customer_id FROM core.sale s JOIN core.store st ON st.id = s.store_id
                WHERE st.code = ? AND s.customer_id IS NOT NULL""", store).stream().map(r -> r.get("customer_id")).toList();
    }

    private void awaitSale(String sourceId) {
        await().atMost(WITHIN).until(() -> db.count("SELECT count(*) FROM core.sale WHERE source_id = ?", sourceId) == 1);
    }

    private String sendSale(String store, String saleId, Long version, String occurredAt, String email, String... lines) {
        String payload = """
                {"store_code": "%s", "sale_id": "%s", %s"occurred_at": "%s", %s"lines": [%s]}"""
                .formatted(store, saleId, version == null ? "" : "\"version\": " + version + ", ", occurredAt,
                        email == null ? "" : "\"customer_email\": \"" + email + "\", ", String.join(",", lines));
        return raw.send(Topics.RAW_POS, EventTypes.RAW_POS_SALE, "levain/pos-native/" + store, store + "/" + saleId, payload);
    }

    private void sendContact(String id, String updatedAt, String email, String phone) {
        raw.send(Topics.RAW_CRM, EventTypes.RAW_CRM_CUSTOMER, "levain/crm/panpan", id, """
                {"id": "%s", "given_name": "Ana", "family_name": "Lopez", "email": "%s", "phone": "%s",
                 "marketing_opt_in": true, "created_at": "2026-01-01T00:00:00Z", "updated_at": "%s"}"""
                .formatted(id, email, phone, updatedAt));
    }

    private void sendLevel(String sku, String store, String onHand, String updatedAt) {
        raw.send(Topics.RAW_INVENTORY, EventTypes.RAW_INVENTORY_LEVEL, "levain/inventory/panpan", sku + "@" + store, """
                {"sku": "%s", "location": "%s", "on_hand": %s, "updated_at": "%s"}""".formatted(sku, store, onHand, updatedAt));
    }

    private static String line(String sku, String qty, String unitPrice) {
        return "{\"sku\": \"%s\", \"quantity\": %s, \"unit_price\": %s}".formatted(sku, qty, unitPrice);
    }

    private static JsonNode json(ConsumerRecord<String, byte[]> record) {
        try {
            return Json.mapper().readTree(new String(record.value(), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newStore() {
        return "T-" + suffix().toUpperCase();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
