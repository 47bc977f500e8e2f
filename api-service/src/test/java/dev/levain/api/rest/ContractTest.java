package dev.levain.api.rest;

import static dev.levain.api.support.TestTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
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
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API's contract: validated parameters and request bodies with problem+json, ETags, OpenAPI and Swagger UI,
 * CORS.
 */
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
    void truncatedJsonBodyIsRefusedAsNotValidJsonWithItsLineAndColumn() {
        // Cut after the comma: the 14th column of line 1 is where the body ends.
        admin().contentType(ContentType.JSON).body("{\"name\": \"x\",").when().post("/api/v1/goals")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("parameter", equalTo("body"))
                .body("detail", containsString("not valid JSON"))
                .body("detail", containsString("line 1, column 14"))
                .body("detail", not(containsStringIgnoringCase("type")))
                .body("detail", not(containsString("end-of-input")));
        // Cut inside a list on line 3: still the body that is wrong, not the list's next element.
        admin().contentType(ContentType.JSON).body("{\n  \"name\": \"x\",\n  \"stores\": [\"A\",")
                .when().post("/api/v1/goals")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("parameter", equalTo("body"))
                .body("detail", containsString("not valid JSON"))
                .body("detail", containsString("line 3, column 18"))
                .body("detail", not(containsString("stores")));
        // Well-formed JSON with a field of the wrong type names the field, in the API's words.
        admin().contentType(ContentType.JSON).body("{\"name\": \"x\", \"target_change_percent\": \"a lot\"}")
                .when().post("/api/v1/goals")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("parameter", equalTo("target_change_percent"))
                .body("detail", containsString("target_change_percent must be a number"))
                .body("detail", not(containsString("BigDecimal")));
    }

    @Test
    void bodyOverTheLimitIs413WithProblemJson() throws IOException {
        // A declared length over the limit is refused before a byte of the body is sent.
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/admin/replay HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: " + bearer(TestTokens.admin()) + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (64 * 1024 * 1024) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413");
            assertThat(answer.toLowerCase()).contains("content-type: application/problem+json");
            assertThat(answer).contains("\"status\":413").contains("\"title\":\"Body too large\"");
        }
        // Streamed without a length (chunked), it is refused once past the limit of 1 MiB.
        byte[] big = ("{\"source\": \"" + "x".repeat(1_500_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        admin().contentType(ContentType.JSON).body(new ByteArrayInputStream(big))
                .when().post("/api/v1/admin/replay")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413))
                .body("title", equalTo("Body too large"))
                .body("detail", containsString("1048576 bytes"));
    }

    @Test
    void bodyOfAnotherMediaTypeIs415WithProblemJson() {
        admin().contentType("text/plain").body("name=x").when().post("/api/v1/goals")
                .then().statusCode(415)
                .contentType("application/problem+json")
                .body("status", equalTo(415))
                .body("title", equalTo("Unsupported Media Type"))
                .body("detail", containsString("text/plain"))
                .body("detail", containsString("application/json"));
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
