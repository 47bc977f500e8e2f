package dev.levain.api.rest;

import static dev.levain.api.support.TestTokens.bearer;
import static io.restassured.RestAssured.given;
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
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who may call what: bearer JWTs, roles admin and viewer, a viewer's stores, no costs for viewers. */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApiTestResource.class, scope = TestResourceScope.GLOBAL)
class AccessTest {

    @Inject
    AgroalDataSource dataSource;

    private String north;
    private String south;

    @BeforeEach
    void twoStoresWithASale() {
        CoreSeed seed = new CoreSeed(dataSource);
        north = seed.code("NORTH");
        south = seed.code("SOUTH");
        long northId = seed.store(north, "Europe/Paris");
        seed.store(south, "Europe/Paris");
        long bread = seed.product("BREAD", "2.00", "0.50", "5");
        seed.sale(northId, null, "2026-11-02T09:00:00+01:00", "in_store", "completed",
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
}
