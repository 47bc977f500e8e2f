package dev.levain.api.rest;

import static dev.levain.api.support.TestTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
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
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who may call what: bearer JWTs, roles admin and viewer, a viewer's stores, no costs for viewers. */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApiTestResource.class, scope = TestResourceScope.GLOBAL)
class AccessTest {

    @Inject
    AgroalDataSource dataSource;

    private CoreSeed seed;
    private String north;
    private String south;
    private long southId;
    private long bread;
    private long northSale;

    @BeforeEach
    void twoStoresWithASale() {
        seed = new CoreSeed(dataSource);
        north = seed.code("NORTH");
        south = seed.code("SOUTH");
        long northId = seed.store(north, "Europe/Paris");
        southId = seed.store(south, "Europe/Paris");
        bread = seed.product("BREAD", "2.00", "0.50", "5");
        northSale = seed.sale(northId, null, "2026-11-02T09:00:00+01:00", "in_store", "completed",
                new CoreSeed.Line(bread, "3", "2.00", "0.00"));
        seed.rollUp();
    }

    @Test
    void noTokenIs401WithProblemJson() {
        given().queryParam("store", north)
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("title", equalTo("Unauthenticated"));
    }

    @Test
    void expiredTokenIs401() {
        given().header("Authorization", bearer(TestTokens.expiredAdmin())).queryParam("store", north)
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(401);
    }

    @Test
    void tokenSignedWithAnotherKeyIs401() {
        given().header("Authorization", bearer(TestTokens.foreignAdmin())).queryParam("store", north)
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(401);
    }

    @Test
    void garbageTokenIs401() {
        given().header("Authorization", "Bearer not.a.jwt").when().get("/api/v1/stores")
                .then().statusCode(401);
    }

    @Test
    void viewerOnAnAdminEndpointIs403() {
        given().header("Authorization", bearer(TestTokens.viewer()))
                .when().get("/api/v1/admin/rejected-events")
                .then().statusCode(403)
                .contentType("application/problem+json");
        given().header("Authorization", bearer(TestTokens.admin()))
                .when().get("/api/v1/admin/rejected-events")
                .then().statusCode(200);
    }

    @Test
    void viewerLimitedToAStoreIs403OnAnotherStoreAndSeesOnlyItsOwn() {
        String viewer = bearer(TestTokens.viewer(north));
        given().header("Authorization", viewer).queryParam("store", south)
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("parameter", equalTo("store"));
        // A code that names no store is refused the same way: a viewer cannot probe which stores exist.
        given().header("Authorization", viewer).queryParam("store", "NO-SUCH-STORE")
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(403);
        given().header("Authorization", viewer)
                .when().get("/api/v1/stores")
                .then().statusCode(200)
                .body("code", contains(north));
        given().header("Authorization", viewer).queryParam("from", "2026-11-01").queryParam("to", "2026-11-30")
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(200)
                .body("stores", contains(north))
                .body("total.net_sales", equalTo(6.0f));
    }

    @Test
    void viewerNeverSeesCostsButAnAdminDoes() {
        String path = "/api/v1/kpis/sales";
        given().header("Authorization", bearer(TestTokens.viewer())).queryParam("store", north)
                .queryParam("from", "2026-11-01").queryParam("to", "2026-11-30")
                .when().get(path)
                .then().statusCode(200)
                .body("total.net_sales", equalTo(6.0f))
                .body("total", not(hasKey("cogs")))
                .body("total", not(hasKey("gross_margin")))
                .body("by_store[0].figures", not(hasKey("cogs")))
                .body("series[1].total", not(hasKey("cogs")))
                .body("by_channel.in_store", not(hasKey("cogs")));
        given().header("Authorization", bearer(TestTokens.admin())).queryParam("store", north)
                .queryParam("from", "2026-11-01").queryParam("to", "2026-11-30")
                .when().get(path)
                .then().statusCode(200)
                .body("total.cogs", equalTo(1.5f))
                .body("total.gross_margin", equalTo(4.5f))
                .body("freshness.as_of", notNullValue());
    }

    /**
     * NORTH last sold on 2 November (received 08:00Z); SOUTH sells now. A viewer of NORTH must not learn from any
     * freshness when SOUTH last sold: every endpoint that carries freshness, and /freshness itself, gives NORTH's.
     */
    @Test
    void viewerLimitedToAStoreGetsTheFreshnessOfItsOwnStoresOnly() {
        Instant southSoldAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toInstant();
        seed.sale(southId, null, southSoldAt.toString(), "in_store", "completed",
                new CoreSeed.Line(bread, "1", "2.00", "0.00"));
        seed.rollUp();
        long goal = goalOver(north);
        String viewer = bearer(TestTokens.viewer(north));
        Instant northReceivedAt = Instant.parse("2026-11-02T08:00:00Z");

        Map<String, String> freshnessAt = new LinkedHashMap<>();
        freshnessAt.put("/api/v1/freshness", "");
        freshnessAt.put("/api/v1/kpis/sales?from=2026-11-01&to=2026-11-30", "freshness.");
        freshnessAt.put("/api/v1/kpis/sales/today", "freshness.");
        freshnessAt.put("/api/v1/kpis/customers?from=2026-11-01&to=2026-11-30", "freshness.");
        freshnessAt.put("/api/v1/kpis/customers/cohorts", "freshness.");
        freshnessAt.put("/api/v1/kpis/products/top?from=2026-11-01&to=2026-11-30", "freshness.");
        freshnessAt.put("/api/v1/kpis/inventory/levels", "freshness.");
        freshnessAt.put("/api/v1/kpis/inventory/turnover?from=2026-11-01&to=2026-11-30", "freshness.");
        freshnessAt.put("/api/v1/goals/" + goal + "/progress", "freshness.");
        freshnessAt.forEach((path, at) -> {
            JsonPath json = given().header("Authorization", viewer).when().get(path)
                    .then().statusCode(200).extract().jsonPath();
            assertThat(Instant.parse(json.getString(at + "as_of"))).as(path).isEqualTo(northReceivedAt);
            assertThat(Instant.parse(json.getString(at + "landed_at"))).as(path).isEqualTo(landedAt(northSale));
        });

        // An admin sees the whole pipeline, SOUTH's sale included (freshness is kept up to a second).
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Instant.parse(
                given().header("Authorization", bearer(TestTokens.admin())).when().get("/api/v1/freshness")
                        .then().statusCode(200).extract().jsonPath().getString("as_of")))
                .isAfterOrEqualTo(southSoldAt));
    }

    private long goalOver(String store) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Monthly revenue +15%");
        body.put("metric", "net_sales");
        body.put("stores", List.of(store));
        body.put("baseline_from", today.minusDays(40).toString());
        body.put("baseline_to", today.minusDays(10).toString());
        body.put("target_change_percent", 15);
        body.put("deadline", today.plusDays(90).toString());
        return given().header("Authorization", bearer(TestTokens.admin())).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/goals").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** When the normalizer landed the raw event a sale was last written from. */
    private Instant landedAt(long saleId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT r.consumed_at FROM core.raw_event r JOIN core.sale s ON s.raw_event_id = r.id
                     WHERE s.id = ?""")) {
            query.setLong(1, saleId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getObject(1, OffsetDateTime.class).toInstant();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
