package dev.levain.api.rest;

import static dev.levain.api.support.TestTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

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

/** The API's contract: validated parameters with problem+json, ETags, OpenAPI and Swagger UI, CORS. */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApiTestResource.class, scope = TestResourceScope.GLOBAL)
class ContractTest {

    @Inject
    AgroalDataSource dataSource;

    private String store;
    private CoreSeed seed;
    private long storeId;
    private long bread;

    @BeforeEach
    void aStore() {
        seed = new CoreSeed(dataSource);
        store = seed.code("CONTRACT");
        storeId = seed.store(store, "Europe/Paris");
        bread = seed.product("BREAD", "2.00", "0.50", "5");
    }

    @Test
    void malformedDateIsRefusedNamingTheParameter() {
        admin().queryParam("store", store).queryParam("from", "27/11/2026").queryParam("to", "2026-11-27")
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("parameter", equalTo("from"))
                .body("detail", containsString("27/11/2026"))
                .body("detail", not(containsString("Exception")));
    }

    @Test
    void fromAfterToIsRefused() {
        admin().queryParam("from", "2026-11-27").queryParam("to", "2026-11-01")
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(400).body("parameter", equalTo("from"));
    }

    @Test
    void periodOverTheConfiguredMaximumIsRefused() {
        admin().queryParam("from", "2020-01-01").queryParam("to", "2026-11-01")
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(400).body("parameter", equalTo("to"))
                .body("detail", containsString("at most 1096"));
    }

    @Test
    void unknownGranularityZoneChannelOrStoreAreRefused() {
        admin().queryParam("granularity", "hour").when().get("/api/v1/kpis/sales")
                .then().statusCode(400).body("parameter", equalTo("granularity"));
        admin().queryParam("timezone", "Mars/Olympus").when().get("/api/v1/kpis/sales")
                .then().statusCode(400).body("parameter", equalTo("timezone"));
        admin().queryParam("channel", "drone").when().get("/api/v1/kpis/sales")
                .then().statusCode(400).body("parameter", equalTo("channel"));
        admin().queryParam("store", "NOPE-" + store).when().get("/api/v1/kpis/sales")
                .then().statusCode(404).body("parameter", equalTo("store"));
    }

    @Test
    void offsetTimeZonesAndDatesOutsideBusinessHistoryAreRefused() {
        // PostgreSQL reads "+05:00" as five hours WEST of Greenwich: only region ids mean the same on both sides.
        admin().queryParam("timezone", "+05:00").when().get("/api/v1/kpis/sales")
                .then().statusCode(400).body("parameter", equalTo("timezone"));
        admin().queryParam("timezone", "Asia/Karachi").queryParam("from", "2026-11-01").queryParam("to", "2026-11-02")
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(200).body("timezone", equalTo("Asia/Karachi"));
        admin().queryParam("from", "+999999999-12-01").queryParam("to", "2026-11-30")
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(400).body("parameter", equalTo("from"))
                .body("detail", containsString("between 1900 and 2200"));
    }

    @Test
    void sameAnswerIs304WithItsETagAndAChangeGivesANewOne() {
        seed.sale(storeId, null, "2026-11-03T10:00:00+01:00", "in_store", "completed",
                new CoreSeed.Line(bread, "1", "2.00", "0.00"));
        seed.rollUp();
        String tag = admin().queryParam("store", store).queryParam("from", "2026-11-03").queryParam("to", "2026-11-03")
                .when().get("/api/v1/kpis/sales/daily")
                .then().statusCode(200).header("ETag", not(emptyOrNullString()))
                .extract().header("ETag");
        admin().header("If-None-Match", tag)
                .queryParam("store", store).queryParam("from", "2026-11-03").queryParam("to", "2026-11-03")
                .when().get("/api/v1/kpis/sales/daily")
                .then().statusCode(304).body(emptyOrNullString());

        seed.sale(storeId, null, "2026-11-03T11:00:00+01:00", "in_store", "completed",
                new CoreSeed.Line(bread, "1", "2.00", "0.00"));
        seed.rollUp();
        admin().header("If-None-Match", tag)
                .queryParam("store", store).queryParam("from", "2026-11-03").queryParam("to", "2026-11-03")
                .when().get("/api/v1/kpis/sales/daily")
                .then().statusCode(200).header("ETag", not(equalTo(tag)))
                .body("days[0].net_sales", equalTo(4.0f));
    }

    @Test
    void openApiDescribesTheEndpointsAndSwaggerUiIsServed() {
        given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/kpis/sales"))
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"));
        given().when().get("/q/swagger-ui/")
                .then().statusCode(200).body(containsString("swagger"));
    }

    @Test
    void corsAnswersConfiguredOriginsOnly() {
        given().header("Origin", "https://dashboards.panpan.example")
                .header("Access-Control-Request-Method", "GET")
                .when().options("/api/v1/kpis/sales")
                .then().header("Access-Control-Allow-Origin", equalTo("https://dashboards.panpan.example"));
        given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .when().options("/api/v1/kpis/sales")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", bearer(TestTokens.admin()));
    }
}
