package dev.levain.api.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.levain.api.support.ApiTestResource;
import dev.levain.api.support.CoreSeed;
import dev.levain.api.support.ScratchDatabases;
import dev.levain.api.support.ScratchDatabases.Scratch;
import dev.levain.devstack.simulator.DemoHistory;
import dev.levain.devstack.simulator.PanPanCatalog;
import dev.levain.devstack.test.DevStackTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The history {@code levain up} lays down on a fresh data folder, in a database of its own with PanPan's
 * stores, as the demo's first minutes leave it: a till already sold a catalog SKU the model only knows by
 * name (no price yet). The history is whole (every sale priced from its lines), and the demo's retention
 * goal (+20 % on the month before this quarter) is one PanPan could reach.
 */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApiTestResource.class, scope = TestResourceScope.GLOBAL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoHistoryTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Inject
    ScratchDatabases databases;

    private Scratch database;
    private String pricelessSku;
    private long sales;

    @BeforeAll
    void panPansStoresAndAnUnpricedProductThenTheHistory() throws SQLException {
        database = databases.create("demo_history_");
        new CoreSeed(database.dataSource());
        pricelessSku = PanPanCatalog.PRODUCTS.get(0).sku();
        try (Connection connection = database.connect();
             PreparedStatement store = connection.prepareStatement(
                     "INSERT INTO core.store (code, name, timezone, currency) VALUES (?, ?, ?, 'EUR')");
             PreparedStatement unmapped = connection.prepareStatement(
                     "INSERT INTO core.product (sku, name, unmapped) VALUES (?, ?, true)")) {
            for (PanPanCatalog.Store each : PanPanCatalog.STORES) {
                store.setString(1, each.code());
                store.setString(2, each.name());
                store.setString(3, each.timezone());
                store.executeUpdate();
            }
            unmapped.setString(1, pricelessSku);
            unmapped.setString(2, pricelessSku);
            unmapped.executeUpdate();
        }
        sales = DemoHistory.layDown(database.url(), database.user(), database.password());
    }

    @AfterAll
    void dropTheDatabase() throws SQLException {
        databases.drop(database);
    }

    @Test
    void everySaleOfTheHistoryIsPricedFromItsLinesTheUnpricedProductAtTheCatalogsPrice() throws SQLException {
        assertThat(sales).as("sales laid down over %d days", DemoHistory.DAYS).isGreaterThan(100_000);
        assertThat(count("SELECT count(*) FROM core.sale")).isEqualTo(sales);
        assertThat(count("""
                SELECT count(*) FROM core.sale s
                WHERE s.gross IS NULL OR s.gross <> (SELECT sum(round(l.qty * l.unit_price, 2)) FROM core.sale_line l
                                                     WHERE l.sale_id = s.id)""")).as("sales whose gross is not their lines'")
                .isZero();
        try (Connection connection = database.connect();
             PreparedStatement prices = connection.prepareStatement("""
                     SELECT DISTINCT l.unit_price FROM core.sale_line l JOIN core.product p ON p.id = l.product_id
                     WHERE p.sku = ?""")) {
            prices.setString(1, pricelessSku);
            try (ResultSet row = prices.executeQuery()) {
                assertThat(row.next()).as("the unpriced product is in the history").isTrue();
                assertThat(row.getBigDecimal(1)).isEqualByComparingTo(PanPanCatalog.PRODUCTS.get(0).price());
                assertThat(row.next()).as("one price").isFalse();
            }
        }
        assertThat(count("""
                SELECT count(*) FROM (SELECT business_date, store_id, sum(gross) AS gross FROM core.sale
                                      WHERE status = 'completed' GROUP BY 1, 2) s
                FULL JOIN (SELECT business_date, store_id, sum(gross) AS gross FROM core.daily_store_sales
                           GROUP BY 1, 2) r USING (business_date, store_id)
                WHERE s.gross IS DISTINCT FROM r.gross""")).as("store-days whose rollup is not their sales' gross").isZero();
        // Every sale and refund is accounted for by its raw event: the lineage of a history day lists it.
        assertThat(count("SELECT count(DISTINCT (entity, entity_id)) FROM core.daily_sales_lineage"))
                .isEqualTo(sales + count("SELECT count(*) FROM core.refund"));
    }

    @Test
    void theRetentionGoalsBaselineLeavesRoomForTwentyPercentMore() throws SQLException {
        LocalDate quarterStart = LocalDate.now(PARIS).with(IsoFields.DAY_OF_QUARTER, 1);
        LocalDate baselineFrom = quarterStart.minusMonths(1);
        LocalDate previousFrom = baselineFrom.minusMonths(1);
        // DESIGN §4: |active in P−1 ∩ active in P| / |active in P−1|, P the goal's baseline month.
        BigDecimal retention;
        try (Connection connection = database.connect();
             PreparedStatement query = connection.prepareStatement("""
                     WITH active AS (SELECT DISTINCT customer_id, business_date >= ? AS in_p FROM core.sale
                                     WHERE status = 'completed' AND customer_id IS NOT NULL
                                       AND business_date >= ? AND business_date < ?)
                     SELECT round(count(*) FILTER (WHERE NOT in_p AND customer_id IN (SELECT customer_id FROM active
                                                                                      WHERE in_p))::numeric
                                  / count(*) FILTER (WHERE NOT in_p), 3)
                     FROM active""")) {
            query.setObject(1, baselineFrom);
            query.setObject(2, previousFrom);
            query.setObject(3, quarterStart);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                retention = row.getBigDecimal(1);
            }
        }
        assertThat(retention).as("retention of %s", baselineFrom.getMonth())
                .isBetween(new BigDecimal("0.40"), new BigDecimal("0.80"));
        assertThat(retention.multiply(new BigDecimal("1.2"))).as("the goal's target").isLessThan(BigDecimal.ONE);
    }

    private long count(String query) throws SQLException {
        try (Connection connection = database.connect(); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }
}
