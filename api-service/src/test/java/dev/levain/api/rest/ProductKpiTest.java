package dev.levain.api.rest;

import static dev.levain.api.support.TestTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.levain.api.support.ApiTestResource;
import dev.levain.api.support.CoreSeed;
import dev.levain.api.support.TestTokens;
import dev.levain.devstack.test.DevStackTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Top products over a seeded November 2026 whose expected values are worked out by hand below.
 *
 * <p>Products: BREAD 2.00 (cost 0.50), CROISSANT 1.20 (cost 0.40), CAKE 15.00 (cost 6.00). Sales:
 * <pre>
 * PARIS 2026-11-02  BREAD 3 × 2.00; CROISSANT 4 × 1.20 less 0.80
 * PARIS 2026-11-03  CAKE 1 × 15.00; BREAD 1 × 2.00
 * NYC   2026-11-04  CROISSANT 10 × 1.20
 * PARIS 2026-11-05  CAKE 2 × 15.00, VOIDED
 * PARIS 2026-10-31  BREAD 100 × 2.00, before the period
 * NYC   2026-12-01T03:00Z = 30 November 22:00 in New York: BREAD 5 × 2.00
 * </pre>
 * Both stores, November: BREAD qty 3 + 1 + 5 = 9, gross = net = 6 + 2 + 10 = 18.00, 3 lines, COGS 9 × 0.50 =
 * 4.50; CROISSANT qty 14, gross 4.80 + 12.00 = 16.80, net 4.00 + 12.00 = 16.00, 2 lines, COGS 14 × 0.40 = 5.60;
 * CAKE qty 1, 15.00, 1 line, COGS 6.00. Net of all products 18 + 16 + 15 = 49.00.
 */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApiTestResource.class, scope = TestResourceScope.GLOBAL)
class ProductKpiTest {

    @Inject
    AgroalDataSource dataSource;

    private CoreSeed seed;
    private String paris;
    private String nyc;
    private long parisId;
    private long nycId;
    private long croissant;
    private long nycCroissants;

    @BeforeEach
    void novemberSales() {
        seed = new CoreSeed(dataSource);
        paris = seed.code("PARIS");
        nyc = seed.code("NYC");
        parisId = seed.store(paris, "Europe/Paris");
        nycId = seed.store(nyc, "America/New_York");
        long bread = seed.product("BREAD", "2.00", "0.50", "5");
        croissant = seed.product("CROISSANT", "1.20", "0.40", "10");
        long cake = seed.product("CAKE", "15.00", "6.00", "1");
        seed.sale(parisId, null, "2026-11-02T10:00:00+01:00", "in_store", "completed",
                new CoreSeed.Line(bread, "3", "2.00", "0.00"), new CoreSeed.Line(croissant, "4", "1.20", "0.80"));
        seed.sale(parisId, null, "2026-11-03T10:00:00+01:00", "in_store", "completed",
                new CoreSeed.Line(cake, "1", "15.00", "0.00"), new CoreSeed.Line(bread, "1", "2.00", "0.00"));
        nycCroissants = seed.sale(nycId, null, "2026-11-04T12:00:00-05:00", "delivery", "completed",
                new CoreSeed.Line(croissant, "10", "1.20", "0.00"));
        seed.sale(parisId, null, "2026-11-05T10:00:00+01:00", "in_store", "voided",
                new CoreSeed.Line(cake, "2", "15.00", "0.00"));
        seed.sale(parisId, null, "2026-10-31T12:00:00+01:00", "in_store", "completed",
                new CoreSeed.Line(bread, "100", "2.00", "0.00"));
        seed.sale(nycId, null, "2026-12-01T03:00:00Z", "in_store", "completed",
                new CoreSeed.Line(bread, "5", "2.00", "0.00"));
        seed.rollUp();
    }

    @Test
    void adminSeesTheBestSellersByNetWithSharesCostsAndMargins() {
        JsonPath json = top(TestTokens.admin(), List.of(paris, nyc), null, null).statusCode(200)
                .extract().jsonPath(decimals());

        assertThat(json.getString("by")).isEqualTo("net");
        assertThat(json.getInt("limit")).isEqualTo(10);
        assertThat(json.getString("currency")).isEqualTo("EUR");
        assertThat(decimal(json.get("all_products_net"))).isEqualByComparingTo("49.00");
        assertThat(json.getList("products.sku")).containsExactly(seed.code("BREAD"), seed.code("CROISSANT"),
                seed.code("CAKE"));
        assertThat(json.getList("products.rank")).containsExactly(1, 2, 3);
        // BREAD: 18 / 49 = 0.36734… ; margin 18.00 − 4.50.
        assertProduct(json.getMap("products[0]"), "9", "18.00", "18.00", 3, "0.3673", "4.50", "13.50");
        assertThat(json.getString("products[0].name")).isEqualTo("Product BREAD");
        assertThat(json.getString("products[0].category")).isEqualTo("bakery");
        // CROISSANT: 16 / 49 = 0.32653… ; margin 16.00 − 5.60.
        assertProduct(json.getMap("products[1]"), "14", "16.80", "16.00", 2, "0.3265", "5.60", "10.40");
        // CAKE: 15 / 49 = 0.30612… (the voided cakes are not sold); margin 15.00 − 6.00.
        assertProduct(json.getMap("products[2]"), "1", "15.00", "15.00", 1, "0.3061", "6.00", "9.00");
    }

    @Test
    void rankingByQuantityAndALimitKeepSharesOfAllProducts() {
        JsonPath byQty = top(TestTokens.admin(), List.of(paris, nyc), "qty", null).statusCode(200)
                .extract().jsonPath(decimals());
        // CROISSANT 14, BREAD 9, CAKE 1.
        assertThat(byQty.getString("by")).isEqualTo("qty");
        assertThat(byQty.getList("products.sku")).containsExactly(seed.code("CROISSANT"), seed.code("BREAD"),
                seed.code("CAKE"));

        JsonPath firstTwo = top(TestTokens.admin(), List.of(paris, nyc), "net", "2").statusCode(200)
                .extract().jsonPath(decimals());
        assertThat(firstTwo.getList("products.sku")).containsExactly(seed.code("BREAD"), seed.code("CROISSANT"));
        // Still a share of the 49.00 of all products, CAKE included.
        assertThat(decimal(firstTwo.get("all_products_net"))).isEqualByComparingTo("49.00");
        assertThat(decimal(firstTwo.get("products[0].share_of_net"))).isEqualByComparingTo("0.3673");
    }

    @Test
    void oneStoreCountsItsOwnBusinessDaysOnly() {
        JsonPath json = top(TestTokens.admin(), List.of(paris), null, null).statusCode(200)
                .extract().jsonPath(decimals());
        // PARIS in November: CAKE 15.00, BREAD 3 + 1 = 4 → 8.00, CROISSANT 4.00; all 27.00.
        // Shares: 15 / 27 = 0.55555… → 0.5556; 8 / 27 = 0.29629… → 0.2963; 4 / 27 = 0.14814… → 0.1481.
        assertThat(decimal(json.get("all_products_net"))).isEqualByComparingTo("27.00");
        assertThat(json.getList("products.sku")).containsExactly(seed.code("CAKE"), seed.code("BREAD"),
                seed.code("CROISSANT"));
        assertProduct(json.getMap("products[0]"), "1", "15.00", "15.00", 1, "0.5556", "6.00", "9.00");
        assertProduct(json.getMap("products[1]"), "4", "8.00", "8.00", 2, "0.2963", "2.00", "6.00");
        assertProduct(json.getMap("products[2]"), "4", "4.80", "4.00", 1, "0.1481", "1.60", "2.40");

        // NYC's sale at 03:00Z on 1 December is its 30 November: inside November there.
        JsonPath newYork = top(TestTokens.admin(), List.of(nyc), null, null).statusCode(200)
                .extract().jsonPath(decimals());
        assertThat(newYork.getList("products.sku")).containsExactly(seed.code("CROISSANT"), seed.code("BREAD"));
        assertThat(decimal(newYork.get("products[1].qty"))).isEqualByComparingTo("5");
    }

    @Test
    void viewerGetsNoCostFieldsAndOnlyTheirStores() {
        String token = TestTokens.viewer(paris);
        JsonPath json = top(token, List.of(paris), null, null).statusCode(200).extract().jsonPath(decimals());
        assertThat(json.getList("products")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            Map<String, Object> product = json.getMap("products[" + i + "]");
            assertThat(product).containsKeys("sku", "qty", "returned_qty", "gross", "refunds", "net", "lines", "share_of_net")
                    .doesNotContainKeys("cogs", "gross_margin");
        }
        top(token, List.of(nyc), null, null).statusCode(403);
    }

    /**
     * The normalizer takes a voided or moved sale out of the rollups by subtracting it, which leaves its products'
     * rows of that day at zero. LOAF's only sale (PARIS, 10 November) is voided; TART's (NYC, 12 November) moves to
     * 5 December. Neither sold anything in November: the list stays BREAD, CROISSANT, CAKE and their 49.00.
     */
    @Test
    void productsWhoseOnlySaleWasVoidedOrMovedAwayAreNotListed() {
        long loaf = seed.product("LOAF", "3.00", "1.00", "5");
        long tart = seed.product("TART", "4.00", "1.50", "5");
        long loafSale = seed.sale(parisId, null, "2026-11-10T10:00:00+01:00", "in_store", "completed",
                new CoreSeed.Line(loaf, "2", "3.00", "0.00"));
        long tartSale = seed.sale(nycId, null, "2026-11-12T12:00:00-05:00", "in_store", "completed",
                new CoreSeed.Line(tart, "1", "4.00", "0.00"));
        seed.rollUp();
        seed.voidSale(loafSale);
        seed.move(tartSale, "2026-12-05T12:00:00-05:00");

        for (String by : List.of("net", "qty")) {
            JsonPath json = top(TestTokens.admin(), List.of(paris, nyc), by, "100").statusCode(200)
                    .extract().jsonPath(decimals());
            assertThat(json.getList("products.sku", String.class)).as("by " + by)
                    .containsExactlyInAnyOrder(seed.code("BREAD"), seed.code("CROISSANT"), seed.code("CAKE"));
            assertThat(decimal(json.get("all_products_net"))).isEqualByComparingTo("49.00");
        }
        // In December TART's sale counts on its new day.
        JsonPath december = given().header("Authorization", bearer(TestTokens.admin())).queryParam("store", nyc)
                .queryParam("from", "2026-12-01").queryParam("to", "2026-12-31")
                .when().get("/api/v1/kpis/products/top").then().statusCode(200).extract().jsonPath(decimals());
        assertThat(december.getList("products.sku", String.class)).contains(seed.code("TART"));
    }

    /**
     * Units given back count on the refund's day: 3 of NYC's 10 croissants returned on 20 November for 3.60 and
     * 1 more on 2 December for 1.20. November: CROISSANT net 16.00 − 3.60 = 12.40, behind CAKE's 15.00 now; qty
     * sold stays 14 and COGS 5.60, margin 12.40 − 5.60 = 6.80. A BAGUETTE sold for 1.00 and refunded 0.50 in money
     * alone keeps its net: such a refund lowers the store's net, no product's. All products 49.00 + 1.00 − 3.60 = 46.40.
     */
    @Test
    void returnedUnitsLowerTheirProductsNetOnTheDayOfTheRefund() {
        seed.returned(nycCroissants, "2026-11-20T12:00:00-05:00", croissant, "3", "3.60");
        seed.returned(nycCroissants, "2026-12-02T12:00:00-05:00", croissant, "1", "1.20");
        long breadSale = seed.sale(parisId, null, "2026-11-21T10:00:00+01:00", "in_store", "completed",
                new CoreSeed.Line(seed.product("BAGUETTE", "1.00", "0.30", "5"), "1", "1.00", "0.00"));
        seed.refund(breadSale, "2026-11-21T11:00:00+01:00", "0.50");
        seed.rollUp();

        JsonPath json = top(TestTokens.admin(), List.of(paris, nyc), null, "100").statusCode(200)
                .extract().jsonPath(decimals());
        assertThat(json.getList("products.sku")).containsExactly(seed.code("BREAD"), seed.code("CAKE"),
                seed.code("CROISSANT"), seed.code("BAGUETTE"));
        assertThat(decimal(json.get("all_products_net"))).isEqualByComparingTo("46.40");
        Map<String, Object> croissants = json.getMap("products[2]");
        assertThat(decimal(croissants.get("qty"))).isEqualByComparingTo("14");
        assertThat(decimal(croissants.get("returned_qty"))).isEqualByComparingTo("3");
        assertThat(decimal(croissants.get("gross"))).isEqualByComparingTo("16.80");
        assertThat(decimal(croissants.get("refunds"))).isEqualByComparingTo("3.60");
        assertThat(decimal(croissants.get("net"))).isEqualByComparingTo("12.40");
        assertThat(decimal(croissants.get("cogs"))).isEqualByComparingTo("5.60");
        assertThat(decimal(croissants.get("gross_margin"))).isEqualByComparingTo("6.80");
        Map<String, Object> baguette = json.getMap("products[3]");
        assertThat(decimal(baguette.get("returned_qty"))).isEqualByComparingTo("0");
        assertThat(decimal(baguette.get("net"))).isEqualByComparingTo("1.00");

        // December: the croissant returned on the 2nd is listed though none was sold that month.
        JsonPath december = given().header("Authorization", bearer(TestTokens.admin())).queryParam("store", nyc)
                .queryParam("from", "2026-12-01").queryParam("to", "2026-12-31")
                .when().get("/api/v1/kpis/products/top").then().statusCode(200).extract().jsonPath(decimals());
        assertThat(december.getList("products.sku", String.class)).contains(seed.code("CROISSANT"));
        int at = december.getList("products.sku", String.class).indexOf(seed.code("CROISSANT"));
        assertThat(decimal(december.get("products[" + at + "].qty"))).isEqualByComparingTo("0");
        assertThat(decimal(december.get("products[" + at + "].returned_qty"))).isEqualByComparingTo("1");
        assertThat(decimal(december.get("products[" + at + "].net"))).isEqualByComparingTo("-1.20");
    }

    @Test
    void limitAndRankingAreValidatedNamingTheParameter() {
        for (String limit : List.of("0", "101", "ten")) {
            top(TestTokens.admin(), List.of(paris), null, limit).statusCode(400)
                    .contentType("application/problem+json").body("parameter", equalTo("limit"));
        }
        top(TestTokens.admin(), List.of(paris), null, "100").statusCode(200);
        top(TestTokens.admin(), List.of(paris), "price", null).statusCode(400)
                .contentType("application/problem+json").body("parameter", equalTo("by"));
    }

    private io.restassured.response.ValidatableResponse top(String token, List<String> stores, String by,
                                                           String limit) {
        RequestSpecification request = given().header("Authorization", bearer(token))
                .queryParam("store", String.join(",", stores))
                .queryParam("from", "2026-11-01").queryParam("to", "2026-11-30");
        if (by != null) {
            request.queryParam("by", by);
        }
        if (limit != null) {
            request.queryParam("limit", limit);
        }
        return request.when().get("/api/v1/kpis/products/top").then();
    }

    private static void assertProduct(Map<String, Object> product, String qty, String gross, String net, long lines,
                                      String share, String cogs, String margin) {
        assertThat(decimal(product.get("qty"))).as("qty").isEqualByComparingTo(qty);
        assertThat(decimal(product.get("gross"))).as("gross").isEqualByComparingTo(gross);
        assertThat(decimal(product.get("net"))).as("net").isEqualByComparingTo(net);
        assertThat(((Number) product.get("lines")).longValue()).as("lines").isEqualTo(lines);
        assertThat(decimal(product.get("share_of_net"))).as("share_of_net").isEqualByComparingTo(share);
        assertThat(decimal(product.get("cogs"))).as("cogs").isEqualByComparingTo(cogs);
        assertThat(decimal(product.get("gross_margin"))).as("gross_margin").isEqualByComparingTo(margin);
    }

    private static JsonPathConfig decimals() {
        return JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL);
    }

    private static BigDecimal decimal(Object value) {
        return value instanceof BigDecimal decimal ? decimal : new BigDecimal(String.valueOf(value));
    }
}
