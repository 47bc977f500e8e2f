package dev.levain.api.rest;

import static dev.levain.api.support.TestTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

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
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Customer KPIs (DESIGN.md §4) over a seeded data set whose expected values are worked out by hand below.
 *
 * <p>Stores: PARIS and LYON (Europe/Paris: CEST +02:00 until 25 Oct 2026, then CET +01:00), NYC
 * (America/New_York: EDT −04:00 until 1 Nov 2026 06:00Z, then EST −05:00). Completed sales unless said, by
 * store-local business day:
 * <pre>
 * Ivy    PARIS 2026-07-15, PARIS 2026-09-01                      first 2026-07-15 PARIS
 * Eve    LYON  2026-08-20, LYON 2026-11-03, LYON 2026-11-20      first 2026-08-20 LYON
 * Alice  PARIS 2026-09-10, PARIS 2026-10-05, PARIS 2026-11-08 twice (09:00 and 17:00),
 *        LYON  2026-10-20 (Henry's sale: Henry, first seen then, was merged into Alice)
 *                                                                first 2026-09-10 PARIS
 * Bob    PARIS 2026-10-31 23:30 (22:30Z), LYON 2026-11-01 00:30 (2026-10-31T23:30Z)
 *                                                                first 2026-10-31 PARIS
 * Carol  NYC   2026-11-01T03:30Z = 2026-10-31 23:30 in New York, NYC 2026-11-15
 *                                                                first 2026-10-31 NYC
 * Dave   PARIS 2026-10-10 VOIDED, PARIS 2026-11-05               first 2026-11-05 PARIS
 * Frank  PARIS 2025-10-15, PARIS 2025-11-10                      first 2025-10-15 PARIS
 * (anonymous) PARIS 2026-10-12
 * </pre>
 */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApiTestResource.class, scope = TestResourceScope.GLOBAL)
class CustomerKpiTest {

    /** Expected figures of one slice; rates as written in the JSON, null where the denominator is 0. */
    record Expected(long newCustomers, long active, long previouslyActive, long retained, String retentionRate,
                    long repeat, String repeatRate) {
    }

    @Inject
    AgroalDataSource dataSource;

    private CoreSeed seed;
    private String paris;
    private String lyon;
    private String nyc;
    private long parisId;
    private long bread;
    private long alicesEveningSale;

    @BeforeEach
    void customersInThreeStores() {
        seed = new CoreSeed(dataSource);
        paris = seed.code("PARIS");
        lyon = seed.code("LYON");
        nyc = seed.code("NYC");
        long p = seed.store(paris, "Europe/Paris");
        parisId = p;
        long l = seed.store(lyon, "Europe/Paris");
        long n = seed.store(nyc, "America/New_York");
        bread = seed.product("BREAD", "2.00", "0.50", "5");
        long ivy = seed.customer("Ivy");
        long eve = seed.customer("Eve");
        long alice = seed.customer("Alice");
        long henry = seed.customer("Henry");
        long bob = seed.customer("Bob");
        long carol = seed.customer("Carol");
        long dave = seed.customer("Dave");
        long frank = seed.customer("Frank");
        CoreSeed.Line line = new CoreSeed.Line(bread, "1", "2.00", "0.00");

        seed.sale(p, ivy, "2026-07-15T12:00:00+02:00", "in_store", "completed", line);
        seed.sale(p, ivy, "2026-09-01T12:00:00+02:00", "in_store", "completed", line);
        seed.sale(l, eve, "2026-08-20T12:00:00+02:00", "in_store", "completed", line);
        seed.sale(l, eve, "2026-11-03T12:00:00+01:00", "in_store", "completed", line);
        seed.sale(l, eve, "2026-11-20T12:00:00+01:00", "delivery", "completed", line);
        seed.sale(p, alice, "2026-09-10T10:00:00+02:00", "in_store", "completed", line);
        seed.sale(p, alice, "2026-10-05T10:00:00+02:00", "in_store", "completed", line);
        seed.sale(p, alice, "2026-11-08T09:00:00+01:00", "in_store", "completed", line);
        alicesEveningSale = seed.sale(p, alice, "2026-11-08T17:00:00+01:00", "in_store", "completed", line);
        seed.sale(l, henry, "2026-10-20T12:00:00+02:00", "in_store", "completed", line);
        seed.sale(p, bob, "2026-10-31T23:30:00+01:00", "in_store", "completed", line);
        seed.sale(l, bob, "2026-11-01T00:30:00+01:00", "in_store", "completed", line);
        seed.sale(n, carol, "2026-11-01T03:30:00Z", "in_store", "completed", line);
        seed.sale(n, carol, "2026-11-15T12:00:00-05:00", "in_store", "completed", line);
        seed.sale(p, dave, "2026-10-10T12:00:00+02:00", "in_store", "voided", line);
        seed.sale(p, dave, "2026-11-05T12:00:00+01:00", "in_store", "completed", line);
        seed.sale(p, frank, "2025-10-15T12:00:00+02:00", "in_store", "completed", line);
        seed.sale(p, frank, "2025-11-10T12:00:00+01:00", "in_store", "completed", line);
        seed.sale(p, null, "2026-10-12T12:00:00+02:00", "in_store", "completed", line);
        seed.rollUp();
        // Henry was a new customer of October at LYON until he turned out to be Alice.
        seed.merge(henry, alice);
        seed.rollUp();
    }

    @Test
    void monthlyBucketsCountACustomerOncePerStoreAndOnceInTotal() {
        JsonPath json = customers(TestTokens.admin(), "2026-10-01", "2026-11-30", "month", null);

        assertThat(json.getString("granularity")).isEqualTo("month");
        assertThat(json.getString("timezone")).isEqualTo("store");
        assertThat(json.getList("series")).hasSize(2);
        assertThat(json.getString("series[0].period_start")).isEqualTo("2026-10-01");
        assertThat(json.getString("series[0].previous_start")).isEqualTo("2026-09-01");
        assertThat(json.getString("series[0].previous_end")).isEqualTo("2026-09-30");
        // October against September. Active in October: Alice (PARIS 5th, LYON 20th), Bob (PARIS 31st), Carol
        // (NYC 31st, New York time); Dave's voided sale of the 10th does not count, nor the anonymous sale.
        // New: Bob (PARIS), Carol (NYC); Alice first bought in September; merged Henry is nobody.
        // Active in September: Alice, Ivy; of them Alice again in October: 1/2.
        // Repeat: Alice's two October sales are in two stores: a repeat customer in total (1/3), not per store.
        assertFigures(json.getMap("series[0].total"), new Expected(2, 3, 2, 1, "0.5", 1, "0.3333"));
        assertFigures(json.getMap("series[0].stores"), paris, new Expected(1, 2, 2, 1, "0.5", 0, "0"));
        assertFigures(json.getMap("series[0].stores"), lyon, new Expected(0, 1, 0, 0, null, 0, "0"));
        assertFigures(json.getMap("series[0].stores"), nyc, new Expected(1, 1, 0, 0, null, 0, "0"));

        // November against October. Active: Alice (PARIS ×2), Bob (LYON), Carol (NYC), Dave (PARIS), Eve (LYON ×2).
        // New: Dave. Active in October: Alice, Bob, Carol, all active again: 3/3. Repeat: Alice, Eve: 2/5.
        // PARIS: active Alice, Dave; October's Alice and Bob, of whom Alice came back: 1/2; repeat Alice 1/2.
        // LYON: active Bob, Eve; October's Alice did not come back to LYON: 0/1; repeat Eve 1/2.
        // NYC: Carol, October's and November's: 1/1.
        assertFigures(json.getMap("series[1].total"), new Expected(1, 5, 3, 3, "1", 2, "0.4"));
        assertFigures(json.getMap("series[1].stores"), paris, new Expected(1, 2, 2, 1, "0.5", 1, "0.5"));
        assertFigures(json.getMap("series[1].stores"), lyon, new Expected(0, 2, 1, 0, "0", 1, "0.5"));
        assertFigures(json.getMap("series[1].stores"), nyc, new Expected(0, 1, 1, 1, "1", 0, "0"));

        // The whole of October–November against August–September. Active: Alice, Bob, Carol, Dave, Eve = 5
        // (Alice and Bob bought in PARIS and LYON: once each in the total). New: Bob, Carol, Dave.
        // Active in August–September: Alice, Eve, Ivy; Alice and Eve came back: 2/3.
        // Sales in the period: Alice 4, Bob 2 (two stores), Carol 2, Eve 2, Dave 1: 4 repeat of 5.
        assertFigures(json.getMap("total"), new Expected(3, 5, 3, 2, "0.6667", 4, "0.8"));
        // PARIS: active Alice (3 sales), Bob (1), Dave (1); new Bob, Dave; before: Alice, Ivy; back: Alice.
        assertFigures(byStore(json, paris, "figures"), new Expected(2, 3, 2, 1, "0.5", 1, "0.3333"));
        // LYON: active Alice (1), Bob (1), Eve (2); nobody new; before: Eve, back.
        assertFigures(byStore(json, lyon, "figures"), new Expected(0, 3, 1, 1, "1", 1, "0.3333"));
        // NYC: Carol, new, two sales.
        assertFigures(byStore(json, nyc, "figures"), new Expected(1, 1, 0, 0, null, 1, "1"));
    }

    /**
     * The API keeps each day's customers between requests: a day already read counts again as soon as its
     * customers change (a new customer, a void, a sale moved to another month), with no restart.
     */
    @Test
    void aDayAlreadyReadCountsAgainWhenItsCustomersChange() {
        // November at PARIS: Alice (twice on the 8th, a repeat customer) and Dave.
        Expected november = new Expected(1, 2, 2, 1, "0.5", 1, "0.5");
        assertFigures(byStore(customers(TestTokens.admin(), "2026-11-01", "2026-11-30", "month", null), paris,
                "figures"), november);

        long zoe = seed.customer("Zoe");
        long zoesSale = seed.sale(parisId, zoe, "2026-11-08T12:00:00+01:00", "in_store", "completed",
                new CoreSeed.Line(bread, "1", "2.00", "0.00"));
        seed.rollUp();
        assertFigures(byStore(customers(TestTokens.admin(), "2026-11-01", "2026-11-30", "month", null), paris,
                "figures"), new Expected(2, 3, 2, 1, "0.5", 1, "0.3333"));

        seed.voidSale(zoesSale);
        seed.move(alicesEveningSale, "2026-12-02T17:00:00+01:00");
        // Zoe's only sale is void; Alice has one November sale left: no repeat customer in November.
        assertFigures(byStore(customers(TestTokens.admin(), "2026-11-01", "2026-11-30", "month", null), paris,
                "figures"), new Expected(1, 2, 2, 1, "0.5", 0, "0"));
    }

    @Test
    void wholePeriodIsComparedWithThePreviousPeriodAndTheSamePeriodLastYear() {
        JsonPath json = customers(TestTokens.admin(), "2026-10-01", "2026-11-30", "month", null);

        // August–September 2026 against June–July: active Alice, Eve, Ivy; new Alice, Eve (Ivy came in July);
        // active in June–July: Ivy, back in September: 1/1; one sale each: no repeat customer.
        assertThat(json.getString("comparison.previous_period.from")).isEqualTo("2026-08-01");
        assertThat(json.getString("comparison.previous_period.to")).isEqualTo("2026-09-30");
        assertFigures(json.getMap("comparison.previous_period.total"), new Expected(2, 3, 1, 1, "1", 0, "0"));
        // Change in percent of the previous value: new (3 − 2) / 2 = +50.0; active (5 − 3) / 3 = +66.7;
        // retention (0.6667 − 1) / 1 = −33.3; repeat rate against 0: none.
        Map<String, Object> change = json.getMap("comparison.previous_period.change_percent");
        assertThat(decimal(change.get("new_customers"))).isEqualByComparingTo("50.0");
        assertThat(decimal(change.get("active_customers"))).isEqualByComparingTo("66.7");
        assertThat(decimal(change.get("retention_rate"))).isEqualByComparingTo("-33.3");
        assertThat(change.get("repeat_rate")).isNull();

        // October–November 2025: Frank, new in October 2025, two sales; nobody active in August–September 2025.
        assertThat(json.getString("comparison.same_period_last_year.from")).isEqualTo("2025-10-01");
        assertFigures(json.getMap("comparison.same_period_last_year.total"), new Expected(1, 1, 0, 0, null, 1, "1"));
        // New (3 − 1) / 1 = +200.0; active (5 − 1) / 1 = +400.0; repeat rate (0.8 − 1) / 1 = −20.0.
        change = json.getMap("comparison.same_period_last_year.change_percent");
        assertThat(decimal(change.get("new_customers"))).isEqualByComparingTo("200.0");
        assertThat(decimal(change.get("active_customers"))).isEqualByComparingTo("400.0");
        assertThat(decimal(change.get("repeat_rate"))).isEqualByComparingTo("-20.0");
        assertThat(change.get("retention_rate")).isNull();
        // Each store has its own comparisons: PARIS last year is Frank alone.
        assertFigures(byStore(json, paris, "same_period_last_year"), new Expected(1, 1, 0, 0, null, 1, "1"));
        assertFigures(byStore(json, nyc, "previous_period"), new Expected(0, 0, 0, 0, null, 0, null));
    }

    @Test
    void dailyBucketsAcrossTheMonthBoundaryFollowEachStoresOwnDay() {
        JsonPath json = customers(TestTokens.admin(), "2026-10-31", "2026-11-01", "day", null);

        // 31 October (against the 30th, when nobody bought): Bob at PARIS 23:30, Carol at NYC 23:30 New York
        // time (03:30Z on 1 November); both new; one sale each.
        assertFigures(json.getMap("series[0].total"), new Expected(2, 2, 0, 0, null, 0, "0"));
        // 1 November (against the 31st): Bob at LYON 00:30 only; the 31st's Bob and Carol: Bob back, 1/2.
        assertFigures(json.getMap("series[1].total"), new Expected(0, 1, 2, 1, "0.5", 0, "0"));
        // Per store, Bob left PARIS for LYON: PARIS lost him (0/1), LYON had nobody the day before.
        assertFigures(json.getMap("series[1].stores"), paris, new Expected(0, 0, 1, 0, "0", 0, null));
        assertFigures(json.getMap("series[1].stores"), lyon, new Expected(0, 1, 0, 0, null, 0, "0"));
        assertFigures(json.getMap("series[1].stores"), nyc, new Expected(0, 0, 1, 0, "0", 0, null));
        // The two days (against 29–30 October, empty): Bob's two sales make him a repeat customer, 1/2.
        assertFigures(json.getMap("total"), new Expected(2, 2, 0, 0, null, 1, "0.5"));
    }

    @Test
    void givenTimezoneRecountsDaysFromTheSalesInstants() {
        JsonPath json = customers(TestTokens.admin(), "2026-10-01", "2026-11-30", "month", "UTC");

        assertThat(json.getString("timezone")).isEqualTo("UTC");
        // In UTC, Bob's two sales are both on 31 October (22:30Z, 23:30Z) and Carol's first is on 1 November.
        // October: active Alice (5th, 20th), Bob: 2, both twice; new Bob; September's Alice, Ivy: Alice back.
        assertFigures(json.getMap("series[0].total"), new Expected(1, 2, 2, 1, "0.5", 2, "1"));
        assertFigures(json.getMap("series[0].stores"), lyon, new Expected(0, 2, 0, 0, null, 0, "0"));
        assertFigures(json.getMap("series[0].stores"), nyc, new Expected(0, 0, 0, 0, null, 0, null));
        // November: Alice (×2), Carol (×2), Dave, Eve (×2): 4; new Carol, Dave; October's Alice, Bob: Alice back;
        // repeat Alice, Carol, Eve: 3/4.
        assertFigures(json.getMap("series[1].total"), new Expected(2, 4, 2, 1, "0.5", 3, "0.75"));
        assertFigures(json.getMap("series[1].stores"), nyc, new Expected(1, 1, 0, 0, null, 1, "1"));
        // The whole period holds the same customers as in store time.
        assertFigures(json.getMap("total"), new Expected(3, 5, 3, 2, "0.6667", 4, "0.8"));
    }

    @Test
    void cohortsAreWholeMonthsWithEachLaterMonthsActivity() {
        JsonPath json = cohorts(TestTokens.admin(), List.of(paris, lyon, nyc), "2026-08-15", "2026-11-10");

        assertThat(json.getString("from")).isEqualTo("2026-08-01");
        assertThat(json.getString("to")).isEqualTo("2026-11-30");
        assertThat(json.getList("cohorts.month")).containsExactly("2026-08", "2026-09", "2026-10", "2026-11");
        // August: Eve, back in November only.
        assertCohort(json, 0, 1, List.of("2026-09", "2026-10", "2026-11"), List.of(0L, 0L, 1L),
                Arrays.asList("0", "0", "1"));
        // September: Alice, active in October and November.
        assertCohort(json, 1, 1, List.of("2026-10", "2026-11"), List.of(1L, 1L), Arrays.asList("1", "1"));
        // October: Bob and Carol (merged Henry is not one of them), both active in November.
        assertCohort(json, 2, 2, List.of("2026-11"), List.of(2L), Arrays.asList("1"));
        // November: Dave, no later month yet.
        assertCohort(json, 3, 1, List.of(), List.of(), List.of());
        assertThat(json.getInt("cohorts[1].activity[1].months_after")).isEqualTo(2);
    }

    @Test
    void cohortsOfOneStoreCountOnlyItsCustomersAndTheirVisitsThere() {
        JsonPath json = cohorts(TestTokens.admin(), List.of(paris), "2026-08-01", "2026-11-30");

        // PARIS acquired nobody in August (Eve came to LYON): an empty cohort, rates null.
        assertCohort(json, 0, 0, List.of("2026-09", "2026-10", "2026-11"), List.of(0L, 0L, 0L),
                Arrays.asList(null, null, null));
        // September: Alice, in PARIS again in October and November.
        assertCohort(json, 1, 1, List.of("2026-10", "2026-11"), List.of(1L, 1L), Arrays.asList("1", "1"));
        // October: Bob only (Carol's first sale was at NYC); in November he bought at LYON, not here: 0/1.
        assertCohort(json, 2, 1, List.of("2026-11"), List.of(0L), Arrays.asList("0"));
        assertCohort(json, 3, 1, List.of(), List.of(), List.of());
    }

    @Test
    void viewerSeesTheirStoreAndIsRefusedAnother() {
        String token = TestTokens.viewer(paris);
        JsonPath json = given().header("Authorization", bearer(token))
                .queryParam("store", paris).queryParam("from", "2026-10-01").queryParam("to", "2026-11-30")
                .queryParam("granularity", "month")
                .when().get("/api/v1/kpis/customers")
                .then().statusCode(200).extract().jsonPath(decimals());
        // PARIS alone, as in its own column of the first test.
        assertFigures(json.getMap("total"), new Expected(2, 3, 2, 1, "0.5", 1, "0.3333"));
        assertThat(json.getMap("freshness")).isNotNull();

        given().header("Authorization", bearer(token)).queryParam("store", lyon)
                .when().get("/api/v1/kpis/customers/cohorts")
                .then().statusCode(403);
    }

    @Test
    void unknownGranularityIsRefusedNamingIt() {
        given().header("Authorization", bearer(TestTokens.admin())).queryParam("store", paris)
                .queryParam("granularity", "quarter")
                .when().get("/api/v1/kpis/customers")
                .then().statusCode(400).contentType("application/problem+json")
                .body("parameter", org.hamcrest.Matchers.equalTo("granularity"));
    }

    private JsonPath customers(String token, String from, String to, String granularity, String timezone) {
        var request = given().header("Authorization", bearer(token))
                .queryParam("store", paris, lyon, nyc)
                .queryParam("from", from).queryParam("to", to).queryParam("granularity", granularity);
        if (timezone != null) {
            request.queryParam("timezone", timezone);
        }
        return request.when().get("/api/v1/kpis/customers")
                .then().statusCode(200).extract().jsonPath(decimals());
    }

    private static JsonPath cohorts(String token, List<String> stores, String from, String to) {
        return given().header("Authorization", bearer(token))
                .queryParam("store", String.join(",", stores)).queryParam("from", from).queryParam("to", to)
                .when().get("/api/v1/kpis/customers/cohorts")
                .then().statusCode(200).extract().jsonPath(decimals());
    }

    private static JsonPathConfig decimals() {
        return JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL);
    }

    private static Map<String, Object> byStore(JsonPath json, String store, String field) {
        List<Map<String, Object>> stores = json.getList("by_store");
        @SuppressWarnings("unchecked")
        Map<String, Object> figures = (Map<String, Object>) stores.stream()
                .filter(entry -> store.equals(entry.get("store"))).findFirst().orElseThrow().get(field);
        return figures;
    }

    @SuppressWarnings("unchecked")
    private static void assertFigures(Map<String, Object> stores, String store, Expected expected) {
        assertFigures((Map<String, Object>) stores.get(store), expected);
    }

    private static void assertFigures(Map<String, Object> figures, Expected expected) {
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(number(figures.get("new_customers"))).as("new_customers").isEqualTo(expected.newCustomers());
        softly.assertThat(number(figures.get("active_customers"))).as("active_customers").isEqualTo(expected.active());
        softly.assertThat(number(figures.get("previously_active_customers"))).as("previously_active_customers")
                .isEqualTo(expected.previouslyActive());
        softly.assertThat(number(figures.get("retained_customers"))).as("retained_customers")
                .isEqualTo(expected.retained());
        softly.assertThat(number(figures.get("repeat_customers"))).as("repeat_customers").isEqualTo(expected.repeat());
        assertRate(softly, "retention_rate", figures.get("retention_rate"), expected.retentionRate());
        assertRate(softly, "repeat_rate", figures.get("repeat_rate"), expected.repeatRate());
        softly.assertAll();
    }

    private static void assertCohort(JsonPath json, int index, long customers, List<String> months, List<Long> active,
                                     List<String> rates) {
        String cohort = "cohorts[" + index + "]";
        assertThat(number(json.get(cohort + ".customers"))).as(cohort + " size").isEqualTo(customers);
        assertThat(json.getList(cohort + ".activity.month")).as(cohort + " months").containsExactlyElementsOf(months);
        List<Object> counts = json.getList(cohort + ".activity.active_customers");
        assertThat(counts.stream().map(CustomerKpiTest::number).toList()).as(cohort + " active")
                .containsExactlyElementsOf(active);
        List<Object> actual = json.getList(cohort + ".activity.rate");
        SoftAssertions softly = new SoftAssertions();
        for (int i = 0; i < rates.size(); i++) {
            assertRate(softly, cohort + " rate " + i, actual.get(i), rates.get(i));
        }
        softly.assertAll();
    }

    private static void assertRate(SoftAssertions softly, String name, Object actual, String expected) {
        if (expected == null) {
            softly.assertThat(actual).as(name).isNull();
        } else if (actual == null) {
            softly.fail(name + " is null, expected " + expected);
        } else {
            softly.assertThat(decimal(actual)).as(name).isEqualByComparingTo(expected);
            // Rates are written to 4 places.
            softly.assertThat(decimal(actual).scale()).as(name + " scale").isEqualTo(4);
        }
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    private static BigDecimal decimal(Object value) {
        return value instanceof BigDecimal decimal ? decimal : new BigDecimal(String.valueOf(value));
    }
}
