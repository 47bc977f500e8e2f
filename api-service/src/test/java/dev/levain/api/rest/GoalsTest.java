package dev.levain.api.rest;

import static dev.levain.api.support.TestTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.comparesEqualTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.levain.api.support.ApiTestResource;
import dev.levain.api.support.CoreSeed;
import dev.levain.api.support.TestTokens;
import dev.levain.devstack.test.DevStackTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Business goals: CRUD by admins with validation, reads limited by a viewer's stores, progress computed by hand. */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApiTestResource.class, scope = TestResourceScope.GLOBAL)
class GoalsTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Inject
    AgroalDataSource dataSource;

    private CoreSeed seed;
    private String store;
    private long storeId;
    private LocalDate today;

    @BeforeEach
    void aStore() {
        seed = new CoreSeed(dataSource);
        store = seed.code("GOAL");
        storeId = seed.store(store, "Europe/Paris");
        today = LocalDate.now(PARIS);
    }

    @Test
    void adminCreatesReadsReplacesAndDeletesAGoal() {
        String location = admin().contentType(ContentType.JSON)
                .body(goal("Monthly revenue +15%", "net_sales", List.of(store.toLowerCase()), today.minusDays(40),
                        today.minusDays(10), "15", today.plusDays(90)))
                .when().post("/api/v1/goals")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/goals/"))
                .body("name", equalTo("Monthly revenue +15%"))
                .body("metric", equalTo("net_sales"))
                .body("stores", contains(store))
                .body("baseline_from", equalTo(today.minusDays(40).toString()))
                .body("target_change_percent", equalTo(15.0f))
                .body("created_by", equalTo("owner"))
                .body("created_at", notNullValue())
                .extract().header("Location");
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));

        admin().when().get("/api/v1/goals/" + id).then().statusCode(200).body("id", equalTo((int) id));
        admin().when().get("/api/v1/goals").then().statusCode(200).body("goals.id", hasItem((int) id));

        admin().contentType(ContentType.JSON)
                .body(goal("Monthly revenue +20%", "net_sales", List.of(store), today.minusDays(40), today.minusDays(10),
                        "20", today.plusDays(120)))
                .when().put("/api/v1/goals/" + id)
                .then().statusCode(200)
                .body("name", equalTo("Monthly revenue +20%"))
                .body("target_change_percent", equalTo(20.0f))
                .body("deadline", equalTo(today.plusDays(120).toString()));

        admin().when().delete("/api/v1/goals/" + id).then().statusCode(204);
        admin().when().get("/api/v1/goals/" + id).then().statusCode(404)
                .contentType("application/problem+json").body("title", equalTo("Unknown goal"));
        admin().when().delete("/api/v1/goals/" + id).then().statusCode(404);
        admin().contentType(ContentType.JSON)
                .body(goal("Gone", "net_sales", List.of(), today.minusDays(40), today.minusDays(10), "20",
                        today.plusDays(120)))
                .when().put("/api/v1/goals/" + id).then().statusCode(404);
    }

    @Test
    void wrongGoalsAreRefusedNamingTheField() {
        LocalDate from = today.minusDays(40);
        LocalDate to = today.minusDays(10);
        LocalDate deadline = today.plusDays(30);
        refused(goal("Up", "happiness", List.of(), from, to, "15", deadline), "metric");
        refused(goal("Up", "net_sales", List.of(), to, from, "15", deadline), "baseline_from");
        refused(goal("Up", "net_sales", List.of(), from, to, "15", today.minusDays(1)), "deadline");
        refused(goal(null, "net_sales", List.of(), from, to, "15", deadline), "name");
        refused(goal(" ", "net_sales", List.of(), from, to, "15", deadline), "name");
        refused(goal("Up", "net_sales", List.of("NOPE-" + store), from, to, "15", deadline), "stores");
        refused(goal("Up", "net_sales", List.of(), from, to, null, deadline), "target_change_percent");
        Map<String, Object> badDate = goal("Up", "net_sales", List.of(), from, to, "15", deadline);
        badDate.put("baseline_to", "31/12/2025");
        refused(badDate, "baseline_to");
        Map<String, Object> notANumber = goal("Up", "net_sales", List.of(), from, to, "15", deadline);
        notANumber.put("target_change_percent", "a lot");
        refused(notANumber, "target_change_percent");
        admin().contentType(ContentType.JSON).body("{").when().post("/api/v1/goals")
                .then().statusCode(400).contentType("application/problem+json").body("parameter", equalTo("body"));
    }

    @Test
    void viewerReadsButMayNotWrite() {
        Map<String, Object> body = goal("Up", "net_sales", List.of(store), today.minusDays(40), today.minusDays(10), "15",
                today.plusDays(30));
        viewer(store).contentType(ContentType.JSON).body(body).when().post("/api/v1/goals").then().statusCode(403);
        long id = create(body);
        viewer(store).contentType(ContentType.JSON).body(body).when().put("/api/v1/goals/" + id).then().statusCode(403);
        viewer(store).when().delete("/api/v1/goals/" + id).then().statusCode(403);
        viewer(store).when().get("/api/v1/goals/" + id).then().statusCode(200).body("name", equalTo("Up"));
        given().when().get("/api/v1/goals").then().statusCode(401);
    }

    @Test
    void viewerSeesOnlyGoalsOverItsStores() {
        String other = seed.code("GOAL2");
        seed.store(other, "Europe/Paris");
        long mine = create(goal("Mine", "transactions", List.of(store), today.minusDays(40), today.minusDays(10), "10",
                today.plusDays(30)));
        long theirs = create(goal("Theirs", "transactions", List.of(other), today.minusDays(40), today.minusDays(10),
                "10", today.plusDays(30)));
        long everywhere = create(goal("Everywhere", "transactions", List.of(), today.minusDays(40), today.minusDays(10),
                "10", today.plusDays(30)));

        List<Integer> seen = viewer(store).when().get("/api/v1/goals").then().statusCode(200)
                .extract().jsonPath().getList("goals.id", Integer.class);
        org.assertj.core.api.Assertions.assertThat(seen).contains((int) mine)
                .doesNotContain((int) theirs, (int) everywhere);
        viewer(store).when().get("/api/v1/goals/" + theirs).then().statusCode(404);
        viewer(store).when().get("/api/v1/goals/" + everywhere + "/progress").then().statusCode(404);
        // A viewer without a store limit sees them all.
        List<Integer> all = viewer().when().get("/api/v1/goals").then().statusCode(200)
                .extract().jsonPath().getList("goals.id", Integer.class);
        org.assertj.core.api.Assertions.assertThat(all).contains((int) mine, (int) theirs, (int) everywhere);
    }

    @Test
    void aLongRunningGoalChartsItsLatest26Points() {
        // Baseline ended about two years ago: 104 weeks since, of which the progress series keeps the latest 26,
        // the last one ending yesterday, so that one request stays bounded however old the goal is.
        long id = create(goal("Two-year plan", "transactions", List.of(store), today.minusDays(740), today.minusDays(730),
                "10", today.plusDays(30)));
        admin().queryParam("granularity", "week").when().get("/api/v1/goals/" + id + "/progress")
                .then().statusCode(200)
                .body("series", hasSize(26))
                .body("series[-1].date", equalTo(today.minusDays(1).toString()));
    }

    @Test
    void progressIsHalfWayWhenCurrentNetSalesAreHalfWayToTheTarget() {
        long bread = seed.product("BREAD", "2.00", "0.80", "5");
        // Baseline: 7 days, today−20 … today−14; one sale of 50 × 2.00 = 100.00 on today−17.
        sale(bread, today.minusDays(17), "50");
        // Current window: the 7 days ending yesterday, today−7 … today−1; 55 × 2.00 = 110.00 on today−3.
        sale(bread, today.minusDays(3), "55");
        // Today is not over yet and is left out: 500 × 2.00 = 1000.00.
        sale(bread, today, "500");
        seed.rollUp();
        long id = create(goal("Revenue +20%", "net_sales", List.of(store), today.minusDays(20), today.minusDays(14), "20",
                today.plusDays(30)));

        // target = 100.00 × (1 + 20 / 100) = 120.00; progress = (110 − 100) / (120 − 100) = 50.0%
        // expected: (yesterday − baseline end) / (deadline − baseline end) = 13 / 44 = 29.5% → on track
        admin().queryParam("granularity", "week").when().get("/api/v1/goals/" + id + "/progress")
                .then().statusCode(200)
                .body("goal.id", equalTo((int) id))
                .body("granularity", equalTo("week"))
                .body("baseline", equalTo(100.0f))
                .body("target", equalTo(120.0f))
                .body("current_from", equalTo(today.minusDays(7).toString()))
                .body("current_to", equalTo(today.minusDays(1).toString()))
                .body("current", equalTo(110.0f))
                .body("progress_percent", equalTo(50.0f))
                .body("expected_percent", equalTo(29.5f))
                .body("on_track", equalTo(true))
                // One point per week since the baseline's end; the last one is the current window.
                .body("series[-1].date", equalTo(today.minusDays(1).toString()))
                .body("series[-1].window_from", equalTo(today.minusDays(7).toString()))
                .body("series[-1].value", equalTo(110.0f))
                .body("series[-1].progress_percent", equalTo(50.0f))
                .body("series[0].date", notNullValue())
                .body("freshness", notNullValue());

        admin().queryParam("granularity", "day").when().get("/api/v1/goals/" + id + "/progress")
                .then().statusCode(400).body("parameter", equalTo("granularity"));
    }

    @Test
    void inventoryCostGoalShowsValuesToAdminsAndOnlyProgressToViewers() {
        long flour = seed.product("FLOUR", "4.00", "2.00", "5");
        seed.stock(flour, storeId, "50", noon(today.minusDays(30)));
        seed.stock(flour, storeId, "40", noon(today.minusDays(10)));
        long id = create(goal("Stock cost −10%", "inventory_value", List.of(store), today.minusDays(20),
                today.minusDays(14), "-10", today.plusDays(60)));

        // Baseline today−20 … today−14: the count of 50 carried forward, 50 × 2.00 = 100.00 every day → 100.00
        // Current today−7 … today−1: the count of 40 (today−10) carried forward, 40 × 2.00 = 80.00
        // target = 100.00 × (1 − 10 / 100) = 90.00; progress = (80 − 100) / (90 − 100) = 200.0%
        admin().when().get("/api/v1/goals/" + id + "/progress")
                .then().statusCode(200)
                .body("granularity", equalTo("month"))
                .body("baseline", equalTo(100.0f))
                .body("target", equalTo(90.0f))
                .body("current", equalTo(80.0f))
                .body("progress_percent", equalTo(200.0f))
                .body("on_track", equalTo(true));
        viewer(store).when().get("/api/v1/goals/" + id + "/progress")
                .then().statusCode(200)
                .body("progress_percent", equalTo(200.0f))
                .body("$", not(hasKey("baseline")))
                .body("$", not(hasKey("target")))
                .body("$", not(hasKey("current")))
                .body("series[-1]", not(hasKey("value")));
    }

    @Test
    void newCustomersGoalCountsFirstSalesInTheWindow() {
        long bread = seed.product("BREAD", "2.00", "0.80", "5");
        long ann = seed.customer("Ann");
        long bob = seed.customer("Bob");
        long cat = seed.customer("Cat");
        long dan = seed.customer("Dan");
        // Baseline today−20 … today−14: Ann and Bob buy for the first time → 2 new customers.
        sale(bread, ann, today.minusDays(18));
        sale(bread, bob, today.minusDays(16));
        // Current today−7 … today−1: Cat and Dan are new; Ann comes back (not new) → 2 new customers... and Bob's
        // return is not new either.
        sale(bread, cat, today.minusDays(6));
        sale(bread, dan, today.minusDays(2));
        sale(bread, ann, today.minusDays(5));
        sale(bread, bob, today.minusDays(4));
        seed.rollUp();
        long id = create(goal("Acquisition +100%", "new_customers", List.of(store), today.minusDays(20),
                today.minusDays(14), "100", today.plusDays(30)));

        // target = 2 × (1 + 100 / 100) = 4; progress = (2 − 2) / (4 − 2) = 0.0% → behind the line (13 / 44 = 29.5%)
        admin().when().get("/api/v1/goals/" + id + "/progress")
                .then().statusCode(200)
                .body("baseline", equalTo(2))
                .body("target", equalTo(4.0f))
                .body("current", equalTo(2))
                .body("progress_percent", equalTo(0.0f))
                .body("on_track", equalTo(false));
    }

    @Test
    void retentionGoalComparesEachWindowWithTheOneBefore() {
        long bread = seed.product("BREAD", "2.00", "0.80", "5");
        long[] people = {seed.customer("Ann"), seed.customer("Bob"), seed.customer("Cat"), seed.customer("Dan")};
        // Baseline today−20 … today−14, compared with the 7 days before (today−27 … today−21):
        //   all four active on today−25; Ann and Bob again on today−18 → retention 2 / 4 = 50.00%
        for (long customer : people) {
            sale(bread, customer, today.minusDays(25));
        }
        sale(bread, people[0], today.minusDays(18));
        sale(bread, people[1], today.minusDays(18));
        // Current today−7 … today−1, compared with today−14 … today−8:
        //   all four active on today−10; Ann, Bob and Cat again on today−3 → retention 3 / 4 = 75.00%
        for (long customer : people) {
            sale(bread, customer, today.minusDays(10));
        }
        for (int i = 0; i < 3; i++) {
            sale(bread, people[i], today.minusDays(3));
        }
        seed.rollUp();
        long id = create(goal("Retention +50%", "retention_rate", List.of(store), today.minusDays(20),
                today.minusDays(14), "50", today.plusDays(30)));

        // target = 50.00 × (1 + 50 / 100) = 75.00; progress = (75 − 50) / (75 − 50) = 100.0%
        admin().when().get("/api/v1/goals/" + id + "/progress")
                .then().statusCode(200)
                .body("baseline", equalTo(50.0f))
                .body("target", equalTo(75.0f))
                .body("current", equalTo(75.0f))
                .body("progress_percent", equalTo(100.0f))
                .body("on_track", equalTo(true));
    }

    private void sale(long product, LocalDate day, String qty) {
        seed.sale(storeId, null, noon(day), "in_store", "completed", new CoreSeed.Line(product, qty, "2.00", "0.00"));
    }

    private void sale(long product, long customer, LocalDate day) {
        seed.sale(storeId, customer, noon(day), "in_store", "completed", new CoreSeed.Line(product, "1", "2.00", "0.00"));
    }

    private static String noon(LocalDate day) {
        return day.atTime(12, 0).atZone(PARIS).toOffsetDateTime().toString();
    }

    private long create(Map<String, Object> body) {
        return admin().contentType(ContentType.JSON).body(body).when().post("/api/v1/goals")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static void refused(Map<String, Object> body, String field) {
        admin().contentType(ContentType.JSON).body(body).when().post("/api/v1/goals")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("parameter", equalTo(field))
                .body("detail", not(containsString("Exception")));
    }

    private static Map<String, Object> goal(String name, String metric, List<String> stores, LocalDate from, LocalDate to,
                                            String change, LocalDate deadline) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("metric", metric);
        body.put("stores", stores);
        body.put("baseline_from", from.toString());
        body.put("baseline_to", to.toString());
        body.put("target_change_percent", change == null ? null : new BigDecimal(change));
        body.put("deadline", deadline.toString());
        return body;
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", bearer(TestTokens.admin()));
    }

    private static RequestSpecification viewer(String... stores) {
        return given().header("Authorization", bearer(TestTokens.viewer(stores)));
    }
}
