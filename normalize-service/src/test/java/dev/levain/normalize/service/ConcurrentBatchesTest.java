package dev.levain.normalize.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.events.EventTypes;
import dev.levain.events.Topics;
import dev.levain.normalize.support.Db;
import dev.levain.normalize.support.Rollups;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two batches written at the same time, as two partitions (or two replicas, or a replay beside
 * the live consumer) write them: each pair below is held until both transactions are under way
 * (a third session locks {@code core.lineage}, which every batch writes last but one), then let go
 * together. Whatever order the database then gives them, the model ends as one sequential pass
 * would leave it.
 */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class ConcurrentBatchesTest {

    // Coordinates no consumer uses, so these events stay out of the consumers' reconciliation.
    private static final AtomicLong OFFSETS = new AtomicLong(-1_000_000);

    @Inject
    BatchNormalizer normalizer;

    @Inject
    AgroalDataSource dataSource;

    private Db db;

    @BeforeEach
    void database() {
        db = new Db(dataSource);
    }

    @Test
    void theSameNewCustomerSeenByTheTillAndTheCrmAtOnceBecomesOneCustomer() throws Exception {
        String store = newStore();
        String email = "lea." + suffix() + "@example.com";
        String crmId = "C-" + suffix();

        writeTogether(
                List.of(sale(store, "S-1", "2026-11-20T08:00:00+01:00", "\"customer_email\": \"" + email + "\"", "2.50")),
                List.of(contact(crmId, "2026-11-20T09:00:00Z", email, "06 11 22 33 44")));

        List<Object> customers = customersOf(store);
        assertThat(customers).hasSize(1);
        assertThat(db.query("SELECT source, source_id FROM core.customer_identity WHERE customer_id = ? ORDER BY 1",
                customers.get(0))).extracting(r -> r.get("source") + ":" + r.get("source_id"))
                .containsExactly("crm:" + crmId, "email:" + email, "phone:+33611223344");
        assertThat(db.count("SELECT count(*) FROM core.customer_identity WHERE source_id = ?", email)).isEqualTo(1);
        assertThat(db.value("SELECT first_business_date::text FROM core.customer WHERE id = ?", customers.get(0)))
                .isEqualTo("2026-11-20");
        assertRollupsExact();
    }

    @Test
    void theSameNewCustomerBuyingOnTwoPartitionsAtOnceBecomesOneCustomer() throws Exception {
        String store = newStore();
        String email = "tom." + suffix() + "@example.com";

        writeTogether(
                List.of(sale(store, "S-1", "2026-11-20T08:00:00+01:00", "\"customer_email\": \"" + email + "\"", "2.50")),
                List.of(sale(store, "S-2", "2026-11-20T09:00:00+01:00", "\"customer_email\": \"" + email + "\"", "4.00")));

        assertThat(customersOf(store)).hasSize(1);
        assertThat(db.query("""
                SELECT c.transactions, c.net FROM core.daily_customer_sales c JOIN core.store s ON s.id = c.store_id
                WHERE s.code = ?""", store)).containsExactly(Map.of("transactions", 2L, "net", new BigDecimal("6.50")));
        assertRollupsExact();
    }

    @Test
    void aMergeBesideASaleOfTheCustomerItMergesAwayEndsWithEverySaleOnTheSurvivor() throws Exception {
        String store = newStore();
        String known = "ana." + suffix() + "@example.com";
        String other = "ana.pro." + suffix() + "@example.com";
        String crmId = "C-" + suffix();
        normalizer.normalize(List.of(sale(store, "S-1", "2026-11-21T08:00:00+01:00",
                "\"customer_email\": \"" + known + "\"", "2.50")), false);
        normalizer.normalize(List.of(contact(crmId, "2026-11-21T09:00:00Z", other, null)), false);
        normalizer.normalize(List.of(sale(store, "S-2", "2026-11-21T10:00:00+01:00",
                "\"customer_email\": \"" + other + "\"", "3.00")), false);
        assertThat(customersOf(store)).hasSize(2);

        // The CRM learns the contact's other e-mail (two customers were one person) while the till sells to the first.
        writeTogether(
                List.of(contact(crmId, "2026-11-21T12:00:00Z", known, null)),
                List.of(sale(store, "S-3", "2026-11-21T12:00:00+01:00", "\"customer_email\": \"" + other + "\"", "4.00")));

        List<Object> customers = customersOf(store);
        assertThat(customers).hasSize(1);
        assertThat(db.count("SELECT count(*) FROM core.customer WHERE merged_into = ?", customers.get(0))).isEqualTo(1);
        assertThat(db.query("""
                SELECT c.transactions, c.net FROM core.daily_customer_sales c JOIN core.store s ON s.id = c.store_id
                WHERE s.code = ? AND c.transactions <> 0""", store))
                .containsExactly(Map.of("transactions", 3L, "net", new BigDecimal("9.50")));
        assertRollupsExact();
    }

    @Test
    void aRefundAndItsSaleWrittenAtOnceAreLinkedAndCountedOnTheirOwnDays() throws Exception {
        String location = "L" + suffix().toUpperCase();
        String orderId = "O-" + suffix();

        writeTogether(List.of(squareOrder(orderId, """
                        {"id": "R-%1$s", "location_id": "%2$s", "returns": [{"uid": "RET-1", "source_order_id": "%1$s"}],
                         "return_amounts": {"total_money": {"amount": 250, "currency": "EUR"}, "tax_money": {"amount": 0, "currency": "EUR"}},
                         "refunds": [{"id": "RF-%1$s", "status": "APPROVED", "created_at": "2026-11-27T10:00:00Z",
                                      "amount_money": {"amount": 250, "currency": "EUR"}}],
                         "state": "COMPLETED", "version": 1, "created_at": "2026-11-27T10:00:00Z", "closed_at": "2026-11-27T10:00:00Z"}"""
                        .formatted(orderId, location))),
                List.of(squareOrder(orderId, """
                        {"id": "%1$s", "location_id": "%2$s", "state": "COMPLETED", "version": 2,
                         "created_at": "2026-11-26T09:00:00Z", "closed_at": "2026-11-26T09:00:00Z",
                         "line_items": [{"uid": "LI-1", "catalog_object_id": "PAIN", "name": "Pain", "quantity": "2",
                                         "base_price_money": {"amount": 250, "currency": "EUR"},
                                         "gross_sales_money": {"amount": 500, "currency": "EUR"},
                                         "total_discount_money": {"amount": 0, "currency": "EUR"},
                                         "total_tax_money": {"amount": 0, "currency": "EUR"},
                                         "total_money": {"amount": 500, "currency": "EUR"}}],
                         "total_money": {"amount": 500, "currency": "EUR"}, "total_tax_money": {"amount": 0, "currency": "EUR"}}"""
                        .formatted(orderId, location))));

        assertThat(db.count("SELECT count(*) FROM core.refund WHERE source_id = ? AND sale_id IS NOT NULL", "RF-" + orderId))
                .isEqualTo(1);
        assertThat(db.value("SELECT refunded FROM core.sale WHERE source = 'pos-square' AND source_id = ?", orderId))
                .isEqualTo(new BigDecimal("2.50"));
        assertThat(db.query("""
                SELECT d.business_date::text AS day, d.net, d.transactions FROM core.daily_store_sales d
                JOIN core.store s ON s.id = d.store_id WHERE s.code = ? ORDER BY 1""", location))
                .containsExactly(
                        Map.of("day", "2026-11-26", "net", new BigDecimal("5.00"), "transactions", 1L),
                        Map.of("day", "2026-11-27", "net", new BigDecimal("-2.50"), "transactions", 0L));
        assertRollupsExact();
    }

    @Test
    void aCorrectionAndANewSaleOfTheSameStoreDayAtOnceBothCount() throws Exception {
        String store = newStore();
        normalizer.normalize(List.of(sale(store, "S-1", "2026-11-22T08:00:00+01:00", null, "2.00")), false);

        writeTogether(
                List.of(sale(store, "S-1", "2026-11-22T08:00:00+01:00", "\"version\": 2", "5.00")),
                List.of(sale(store, "S-2", "2026-11-22T09:00:00+01:00", null, "3.00")));

        assertThat(db.query("""
                SELECT d.net, d.transactions FROM core.daily_store_sales d JOIN core.store s ON s.id = d.store_id
                WHERE s.code = ?""", store)).containsExactly(Map.of("net", new BigDecimal("8.00"), "transactions", 2L));
        assertRollupsExact();
    }

    /**
     * Writes both batches on two threads at once: both start while {@code core.lineage} is locked
     * elsewhere, and are let go once both are waiting on the database.
     */
    private void writeTogether(List<RawEnvelope> first, List<RawEnvelope> second) throws Exception {
        CompletableFuture<Announcements> a;
        CompletableFuture<Announcements> b;
        try (Connection blocker = dataSource.getConnection(); Statement statement = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            statement.execute("LOCK TABLE core.lineage IN SHARE MODE");
            long waitingBefore = waiting();
            a = CompletableFuture.supplyAsync(() -> normalizer.normalize(first, false));
            b = CompletableFuture.supplyAsync(() -> normalizer.normalize(second, false));
            await().atMost(Duration.ofSeconds(20)).until(() -> waiting() >= waitingBefore + 2);
            blocker.commit();
        }
        assertThat(a.get().rejections()).isEmpty();
        assertThat(b.get().rejections()).isEmpty();
    }

    private long waiting() {
        return db.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'");
    }

    private void assertRollupsExact() throws Exception {
        assertThat(db.count(Rollups.DIFFERENCES)).isZero();
        assertThat(db.count(Rollups.CUSTOMER_DIFFERENCES)).isZero();
        assertThat(Rollups.changedByRebuild(dataSource)).as("rollup rows a rebuild would change").isZero();
    }

    private List<Object> customersOf(String store) {
        return db.query("""
                SELECT DISTINCT s.customer_id FROM core.sale s JOIN core.store st ON st.id = s.store_id
                WHERE st.code = ? AND s.customer_id IS NOT NULL""", store).stream().map(r -> r.get("customer_id")).toList();
    }

    private static RawEnvelope sale(String store, String saleId, String occurredAt, String extra, String unitPrice) {
        String payload = """
                {"store_code": "%s", "sale_id": "%s", "occurred_at": "%s", %s"lines": [{"sku": "PAIN", "quantity": 1, "unit_price": %s}]}"""
                .formatted(store, saleId, occurredAt, extra == null ? "" : extra + ", ", unitPrice);
        return envelope(Topics.RAW_POS, EventTypes.RAW_POS_SALE, "levain/pos-native/" + store, store + "/" + saleId, payload);
    }

    private static RawEnvelope contact(String id, String updatedAt, String email, String phone) {
        return envelope(Topics.RAW_CRM, EventTypes.RAW_CRM_CUSTOMER, "levain/crm/panpan", id, """
                {"id": "%s", "given_name": "Ana", "family_name": "Lopez", %s%s
                 "created_at": "2026-01-01T00:00:00Z", "updated_at": "%s"}"""
                .formatted(id, email == null ? "" : "\"email\": \"" + email + "\", ",
                        phone == null ? "" : "\"phone\": \"" + phone + "\", ", updatedAt));
    }

    private static RawEnvelope squareOrder(String orderId, String order) {
        return envelope(Topics.RAW_POS, EventTypes.RAW_POS_SQUARE_ORDER, "levain/pos-square/test", orderId, order);
    }

    private static RawEnvelope envelope(String topic, String type, String source, String key, String payload) {
        return new RawEnvelope(UUID.randomUUID().toString(), source, type, null, Instant.now(), topic, 0,
                OFFSETS.decrementAndGet(), key, Map.of("ce_type", type, "ce_source", source), payload.getBytes(StandardCharsets.UTF_8));
    }

    private static String newStore() {
        return "CC-" + suffix().toUpperCase();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
