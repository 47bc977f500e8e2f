package dev.levain.api.rest;

import static dev.levain.api.support.TestTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.comparesEqualTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.levain.api.support.ApiTestResource;
import dev.levain.api.support.CoreSeed;
import dev.levain.api.support.TestTokens;
import dev.levain.devstack.test.DevStackTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Stock status per product × store and inventory turnover, against figures computed by hand. */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApiTestResource.class, scope = TestResourceScope.GLOBAL)
class InventoryKpiTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void stockIsOkLowOrOutWithCountsAndHighlightLists() {
        CoreSeed seed = new CoreSeed(dataSource);
        String store = seed.code("STOCK");
        long storeId = seed.store(store, "Europe/Paris");
        // sku, price, unit cost, reorder point → on hand → status
        seed.stock(seed.product("A-PLENTY", "2.00", "0.50", "5"), storeId, "12", "2026-03-02T08:00:00+01:00"); // 12 > 5: ok
        seed.stock(seed.product("B-EDGE", "2.00", "1.00", "5"), storeId, "5", "2026-03-02T08:00:00+01:00");    // 5 ≤ 5: low
        seed.stock(seed.product("C-ZERO", "2.00", "1.00", "5"), storeId, "0", "2026-03-02T08:00:00+01:00");    // 0 ≤ 0: out
        seed.stock(seed.product("D-NOPOINT", "2.00", "3.00", null), storeId, "3", "2026-03-02T08:00:00+01:00"); // no point, > 0: ok
        seed.stock(seed.product("E-OWED", "2.00", "1.00", null), storeId, "-1", "2026-03-02T08:00:00+01:00");  // −1 ≤ 0: out

        admin().queryParam("store", store).when().get("/api/v1/kpis/inventory/levels")
                .then().statusCode(200)
                .body("stores", contains(store))
                .body("levels.sku", contains(seed.code("A-PLENTY"), seed.code("B-EDGE"), seed.code("C-ZERO"),
                        seed.code("D-NOPOINT"), seed.code("E-OWED")))
                .body("levels.status", contains("ok", "low", "out", "ok", "out"))
                .body("levels[0].on_hand", comparesEqualTo(new BigDecimal("12")))
                .body("levels[0].reorder_point", comparesEqualTo(new BigDecimal("5")))
                .body("levels[0].store", equalTo(store))
                .body("levels[0].category", equalTo("bakery"))
                .body("levels[0].as_of", notNullValue())
                .body("levels[3].reorder_point", nullValue())
                // value = on hand × unit cost: 12 × 0.50 = 6.00; 5 × 1.00 = 5.00; 0; 3 × 3.00 = 9.00; −1 counts as 0
                .body("levels[0].unit_cost", comparesEqualTo(new BigDecimal("0.50")))
                .body("levels.value", contains(new BigDecimal("6.00"), new BigDecimal("5.00"), new BigDecimal("0.00"),
                        new BigDecimal("9.00"), new BigDecimal("0.00")))
                .body("counts.ok", equalTo(2)).body("counts.low", equalTo(1)).body("counts.out", equalTo(2))
                .body("by_store[0].store", equalTo(store))
                .body("by_store[0].counts.out", equalTo(2))
                // 6.00 + 5.00 + 0 + 9.00 + 0 = 20.00
                .body("by_store[0].inventory_value", comparesEqualTo(new BigDecimal("20.00")))
                .body("low.sku", contains(seed.code("B-EDGE")))
                .body("out.sku", contains(seed.code("C-ZERO"), seed.code("E-OWED")))
                .body("freshness", notNullValue());

        admin().queryParam("store", store).queryParam("status", "LOW").when().get("/api/v1/kpis/inventory/levels")
                .then().statusCode(200)
                .body("status", equalTo("low"))
                .body("levels.sku", contains(seed.code("B-EDGE")))
                .body("counts.ok", equalTo(2))
                .body("out.sku", contains(seed.code("C-ZERO"), seed.code("E-OWED")));
    }

    @Test
    void viewerSeesStockWithoutUnitCostOrValue() {
        CoreSeed seed = new CoreSeed(dataSource);
        String store = seed.code("VSTOCK");
        long storeId = seed.store(store, "Europe/Paris");
        seed.stock(seed.product("LOAF", "3.00", "1.20", "4"), storeId, "2", "2026-03-02T08:00:00+01:00");

        viewer(store).queryParam("store", store).when().get("/api/v1/kpis/inventory/levels")
                .then().statusCode(200)
                .body("levels[0].status", equalTo("low"))
                .body("levels", everyItem(not(hasKey("unit_cost"))))
                .body("levels", everyItem(not(hasKey("value"))))
                .body("low", everyItem(not(hasKey("value"))))
                .body("by_store[0]", not(hasKey("inventory_value")));
    }

    @Test
    void unknownStatusIsRefusedNamingTheParameter() {
        admin().queryParam("status", "plenty").when().get("/api/v1/kpis/inventory/levels")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("parameter", equalTo("status"))
                .body("detail", containsString("plenty"));
    }

    @Test
    void turnoverAndDaysOfInventoryCarryTheLastCountForward() {
        CoreSeed seed = new CoreSeed(dataSource);
        String shop = seed.code("TURN");
        String depot = seed.code("TURN2");
        long shopId = seed.store(shop, "Europe/Paris");
        long depotId = seed.store(depot, "Europe/Paris");
        long flour = seed.product("FLOUR", "4.00", "2.00", "5");
        long butter = seed.product("BUTTER", "9.00", "5.00", "2");
        // Counts, in order. February 2026 has 28 days.
        seed.stock(flour, shopId, "7", "2026-01-05T18:00:00+01:00");   // an older count, replaced on 20 January
        seed.stock(flour, shopId, "10", "2026-01-20T18:00:00+01:00");  // the last before the period: carried into February
        seed.stock(butter, shopId, "4", "2026-02-08T18:00:00+01:00");  // butter's first count ever
        seed.stock(flour, shopId, "20", "2026-02-15T18:00:00+01:00");
        seed.stock(flour, shopId, "99", "2026-03-03T18:00:00+01:00");  // after the period: ignored
        seed.stock(flour, depotId, "5", "2026-02-01T18:00:00+01:00");
        seed.sale(shopId, null, "2026-01-25T10:00:00+01:00", "in_store", "completed",
                new CoreSeed.Line(flour, "5", "4.00", "0.00"));           // January COGS 5 × 2.00 = 10.00
        seed.sale(shopId, null, "2026-02-10T10:00:00+01:00", "in_store", "completed",
                new CoreSeed.Line(flour, "30", "4.00", "0.00"),           // 30 × 2.00 = 60.00
                new CoreSeed.Line(butter, "6", "9.00", "0.00"));          //  6 × 5.00 = 30.00 → February COGS 90.00
        seed.rollUp();

        // Shop, Σ over February's days of closing on hand × unit cost ("value-days"):
        //   flour  1–14 Feb: 14 days × 10 × 2.00 = 280; 15–28 Feb: 14 days × 20 × 2.00 = 560
        //   butter 1–7 Feb: no count yet = 0;            8–28 Feb: 21 days × 4 × 5.00 = 420
        //   = 1260 → average inventory value 1260 / 28 = 45.00
        //   turnover = 90.00 / 45.00 = 2.00; days of inventory = 45.00 / (90.00 / 28) = 14.0
        // Depot: flour 1–28 Feb: 28 × 5 × 2.00 = 280 → average 10.00; no sales → turnover 0.00, days of inventory null
        // Total: average 45.00 + 10.00 = 55.00; turnover = 90 / 55 = 1.636… → 1.64;
        //   days of inventory = 55 / (90 / 28) = 17.11… → 17.1
        // Previous period (January, 31 days), shop: flour 1–4 Jan: no count yet = 0; 5–19 Jan: 15 × 7 × 2.00 = 210;
        //   20–31 Jan: 12 × 10 × 2.00 = 240 → 450 → average 450 / 31 = 14.516… → 14.52;
        //   turnover = 10 / (450 / 31) = 0.688… → 0.69; days of inventory = (450 / 31) / (10 / 31) = 45.0
        admin().queryParam("store", shop + "," + depot).queryParam("from", "2026-02-01").queryParam("to", "2026-02-28")
                .when().get("/api/v1/kpis/inventory/turnover")
                .then().statusCode(200)
                .body("days", equalTo(28))
                .body("currency", equalTo("EUR"))
                .body("by_store[0].store", equalTo(shop))
                .body("by_store[0].figures.cogs", comparesEqualTo(new BigDecimal("90.00")))
                .body("by_store[0].figures.average_inventory_value", comparesEqualTo(new BigDecimal("45.00")))
                .body("by_store[0].figures.turnover", comparesEqualTo(new BigDecimal("2.00")))
                .body("by_store[0].figures.days_of_inventory", comparesEqualTo(new BigDecimal("14.0")))
                .body("by_store[1].figures.cogs", comparesEqualTo(new BigDecimal("0.00")))
                .body("by_store[1].figures.average_inventory_value", comparesEqualTo(new BigDecimal("10.00")))
                .body("by_store[1].figures.turnover", comparesEqualTo(new BigDecimal("0.00")))
                .body("by_store[1].figures.days_of_inventory", nullValue())
                .body("total.cogs", comparesEqualTo(new BigDecimal("90.00")))
                .body("total.average_inventory_value", comparesEqualTo(new BigDecimal("55.00")))
                .body("total.turnover", comparesEqualTo(new BigDecimal("1.64")))
                .body("total.days_of_inventory", comparesEqualTo(new BigDecimal("17.1")))
                .body("by_store[0].previous_period.cogs", comparesEqualTo(new BigDecimal("10.00")))
                .body("by_store[0].previous_period.average_inventory_value", comparesEqualTo(new BigDecimal("14.52")))
                .body("by_store[0].previous_period.turnover", comparesEqualTo(new BigDecimal("0.69")))
                .body("by_store[0].previous_period.days_of_inventory", comparesEqualTo(new BigDecimal("45.0")))
                .body("previous_period.from", equalTo("2026-01-01"))
                .body("previous_period.to", equalTo("2026-01-31"))
                // Total turnover: January 0.69 (depot had no count yet) → February 1.64: (1.64 − 0.69) / 0.69 = +137.7%
                .body("previous_period.change_percent.turnover", comparesEqualTo(new BigDecimal("137.7")))
                // Per product, both stores together: flour value-days 840 + 280 = 1120 → average 40.00, COGS 60.00,
                //   turnover 60 × 28 / 1120 = 1.50, days of inventory 1120 / 60 = 18.67 → 18.7;
                // butter 420 → average 15.00, COGS 30.00, turnover 30 × 28 / 420 = 2.00, days 420 / 30 = 14.0.
                .body("products.slowest.sku", contains(seed.code("FLOUR"), seed.code("BUTTER")))
                .body("products.fastest.sku", contains(seed.code("BUTTER"), seed.code("FLOUR")))
                .body("products.slowest[0].name", equalTo("Product FLOUR"))
                .body("products.slowest[0].figures.average_inventory_value", comparesEqualTo(new BigDecimal("40.00")))
                .body("products.slowest[0].figures.cogs", comparesEqualTo(new BigDecimal("60.00")))
                .body("products.slowest[0].figures.turnover", comparesEqualTo(new BigDecimal("1.50")))
                .body("products.slowest[0].figures.days_of_inventory", comparesEqualTo(new BigDecimal("18.7")))
                .body("products.fastest[0].figures.turnover", comparesEqualTo(new BigDecimal("2.00")))
                .body("products.fastest[0].figures.days_of_inventory", comparesEqualTo(new BigDecimal("14.0")));
        // One store: the depot's flour never sold, dead stock at the top of the slowest.
        admin().queryParam("store", depot).queryParam("from", "2026-02-01").queryParam("to", "2026-02-28")
                .when().get("/api/v1/kpis/inventory/turnover")
                .then().statusCode(200)
                .body("products.slowest.sku", contains(seed.code("FLOUR")))
                .body("products.slowest[0].figures.turnover", comparesEqualTo(new BigDecimal("0.00")));
    }

    @Test
    void viewerSeesTurnoverRatiosButNoMoney() {
        CoreSeed seed = new CoreSeed(dataSource);
        String store = seed.code("VTURN");
        long storeId = seed.store(store, "Europe/Paris");
        long rye = seed.product("RYE", "5.00", "1.00", "2");
        seed.stock(rye, storeId, "10", "2026-02-01T18:00:00+01:00");
        seed.sale(storeId, null, "2026-02-10T10:00:00+01:00", "in_store", "completed",
                new CoreSeed.Line(rye, "7", "5.00", "0.00"));
        seed.rollUp();

        // Value-days: 28 × 10 × 1.00 = 280 → average 10.00; COGS 7 × 1.00 = 7.00; turnover 7 / 10 = 0.70;
        // days of inventory = 280 / 7 = 40.0
        viewer(store).queryParam("store", store).queryParam("from", "2026-02-01").queryParam("to", "2026-02-28")
                .when().get("/api/v1/kpis/inventory/turnover")
                .then().statusCode(200)
                .body("total.turnover", comparesEqualTo(new BigDecimal("0.70")))
                .body("total.days_of_inventory", comparesEqualTo(new BigDecimal("40.0")))
                .body("total", not(hasKey("cogs")))
                .body("total", not(hasKey("average_inventory_value")))
                .body("by_store[0].figures", not(hasKey("cogs")))
                .body("by_store[0].previous_period", not(hasKey("average_inventory_value")))
                .body("previous_period.total", not(hasKey("cogs")))
                .body("previous_period.change_percent", not(hasKey("cogs")))
                .body("previous_period.change_percent", not(hasKey("average_inventory_value")))
                .body("products.slowest[0].figures.turnover", comparesEqualTo(new BigDecimal("0.70")))
                .body("products.slowest[0].figures", not(hasKey("cogs")))
                .body("products.fastest[0].figures", not(hasKey("average_inventory_value")));
    }

    static RestAssuredConfig decimals() {
        return RestAssuredConfig.config().jsonConfig(
                JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    private static RequestSpecification admin() {
        return given().config(decimals()).header("Authorization", bearer(TestTokens.admin()));
    }

    private static RequestSpecification viewer(String store) {
        return given().config(decimals()).header("Authorization", bearer(TestTokens.viewer(store)));
    }
}
