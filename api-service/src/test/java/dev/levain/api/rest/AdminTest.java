package dev.levain.api.rest;

import static dev.levain.api.support.TestTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

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
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Admin-only endpoints: raw events from the landing zone, and the calls forwarded to normalize-service
 * (replay) and alert-service (rules). Here normalize-service is configured where nothing listens and
 * alert-service not at all; LevainSystemIT covers the forwarding to the running services.
 */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApiTestResource.class, scope = TestResourceScope.GLOBAL)
class AdminTest {

    /** Every admin path, as method and path. */
    private static final List<String[]> ADMIN_PATHS = List.of(
            new String[] {"GET", "/api/v1/admin/rejected-events"},
            new String[] {"GET", "/api/v1/admin/raw-events"},
            new String[] {"GET", "/api/v1/admin/lineage/daily-sales?store=PAR-01&date=2026-11-27"},
            new String[] {"POST", "/api/v1/admin/replay"},
            new String[] {"POST", "/api/v1/admin/replay-rejected"},
            new String[] {"GET", "/api/v1/admin/alert-rules"},
            new String[] {"POST", "/api/v1/admin/alert-rules"},
            new String[] {"GET", "/api/v1/admin/alert-rules/1"},
            new String[] {"PUT", "/api/v1/admin/alert-rules/1"},
            new String[] {"DELETE", "/api/v1/admin/alert-rules/1"},
            new String[] {"POST", "/api/v1/admin/alert-rules/1/enable"},
            new String[] {"GET", "/api/v1/admin/stores"},
            new String[] {"GET", "/api/v1/admin/stores/PAR-1"},
            new String[] {"PUT", "/api/v1/admin/stores/PAR-1"});

    @Inject
    AgroalDataSource dataSource;

    private CoreSeed seed;
    private String source;

    @BeforeEach
    void aSourceOfOurOwn() {
        seed = new CoreSeed(dataSource);
        source = "levain/pos-native/" + seed.code("ADMIN");
    }

    @Test
    void lineageOfAStoreDayNamesItsSalesRefundsAndRawEventsAndRefusesBadParameters() {
        String store = seed.code("LIN");
        long storeId = seed.store(store, "Europe/Paris");
        long bread = seed.product("LIN-BREAD", "2.00", "0.50", null);
        long first = seed.sale(storeId, null, "2026-11-27T09:00:00+01:00", "in_store", "completed",
                new CoreSeed.Line(bread, "2", "2.00", "0.00"));
        long second = seed.sale(storeId, null, "2026-11-27T23:30:00+01:00", "delivery", "completed",
                new CoreSeed.Line(bread, "1", "2.00", "0.00"));
        seed.sale(storeId, null, "2026-11-28T00:30:00+01:00", "in_store", "completed",
                new CoreSeed.Line(bread, "1", "2.00", "0.00")); // the next business day in Paris
        long refund = seed.refund(first, "2026-11-27T12:00:00+01:00", "1.00");
        long voided = seed.sale(storeId, null, "2026-11-27T15:00:00+01:00", "in_store", "voided",
                new CoreSeed.Line(bread, "5", "2.00", "0.00")); // listed, not counted in the figure

        given().header("Authorization", bearer(TestTokens.admin()))
                .queryParam("store", store.toLowerCase()).queryParam("date", "2026-11-27")
                .when().get("/api/v1/admin/lineage/daily-sales")
                .then().statusCode(200)
                .body("store", equalTo(store)).body("business_date", equalTo("2026-11-27"))
                .body("sales", equalTo(2)).body("refunds", equalTo(1)).body("not_counted", equalTo(1))
                .body("raw_events", equalTo(4))
                .body("by_source.events.sum()", equalTo(4))
                .body("events.collect { it.entity + ':' + it.entity_id + ':' + it.status }",
                        org.hamcrest.Matchers.containsInAnyOrder("sale:" + first + ":completed", "sale:" + second
                                + ":completed", "refund:" + refund + ":completed", "sale:" + voided + ":voided"));
        given().header("Authorization", bearer(TestTokens.admin())).queryParam("date", "2026-11-27")
                .when().get("/api/v1/admin/lineage/daily-sales")
                .then().statusCode(400).body("parameter", equalTo("store"));
        given().header("Authorization", bearer(TestTokens.admin())).queryParam("store", store).queryParam("date", "27/11")
                .when().get("/api/v1/admin/lineage/daily-sales")
                .then().statusCode(400).body("parameter", equalTo("date"));
        given().header("Authorization", bearer(TestTokens.admin())).queryParam("store", "NOWHERE-" + store)
                .queryParam("date", "2026-11-27")
                .when().get("/api/v1/admin/lineage/daily-sales")
                .then().statusCode(404);
    }

    @Test
    void viewerIsRefusedOnEveryAdminPathAndNoTokenIsUnauthenticated() {
        for (String[] call : ADMIN_PATHS) {
            given().header("Authorization", bearer(TestTokens.viewer())).contentType(ContentType.JSON).body("{}")
                    .when().request(call[0], call[1])
                    .then().statusCode(403)
                    .contentType("application/problem+json")
                    .body("title", equalTo("Forbidden"));
            given().contentType(ContentType.JSON).body("{}")
                    .when().request(call[0], call[1])
                    .then().statusCode(401);
        }
    }

    @Test
    void rawEventsAreNewestFirstAndPageByBeforeId() {
        long first = seed.rawEvent(source, "levain.raw.pos.sale", "2026-11-27T08:00:00Z", json("first"));
        long second = seed.rawEvent(source, "levain.raw.pos.sale", "2026-11-27T08:01:00Z", json("second"));
        long third = seed.rawEvent(source, "levain.raw.pos.sale", "2026-11-27T08:02:00Z", json("third"));

        List<Long> page1 = admin().queryParam("source", source).queryParam("limit", 2)
                .when().get("/api/v1/admin/raw-events")
                .then().statusCode(200)
                .body("payload", contains("{\"n\":\"third\"}", "{\"n\":\"second\"}"))
                .extract().jsonPath().getList("id", Long.class);
        assertThat(page1).containsExactly(third, second);
        admin().queryParam("source", source).queryParam("limit", 2).queryParam("before_id", second)
                .when().get("/api/v1/admin/raw-events")
                .then().statusCode(200)
                .body("id", contains((int) first))
                .body("[0].type", equalTo("levain.raw.pos.sale"))
                .body("[0].topic", equalTo("levain.raw.pos"))
                .body("[0].headers.ce_source", equalTo(source))
                .body("[0].received_at", equalTo("2026-11-27T08:00:00Z"))
                .body("[0].payload_bytes", equalTo(13))   // {"n":"first"} is 13 bytes
                .body("[0].payload_truncated", equalTo(false));
    }

    @Test
    void rawEventsFilterByTypeAndByWhenIngestReceivedThem() {
        long eight = seed.rawEvent(source, "levain.raw.pos.sale", "2026-11-27T08:00:00Z", json("8"));
        long nine = seed.rawEvent(source, "levain.raw.pos.sale", "2026-11-27T09:00:00Z", json("9"));
        long refund = seed.rawEvent(source, "levain.raw.pos.refund", "2026-11-27T10:00:00Z", json("10"));

        assertThat(ids(admin().queryParam("source", source).queryParam("type", "levain.raw.pos.refund")))
                .containsExactly(refund);
        // received_from included, received_to excluded: 09:00 in, 10:00 out; +01:00 is the same instant as Z.
        assertThat(ids(admin().queryParam("source", source).queryParam("received_from", "2026-11-27T10:00:00+01:00")
                .queryParam("received_to", "2026-11-27T10:00:00Z"))).containsExactly(nine);
        assertThat(ids(admin().queryParam("source", source).queryParam("received_to", "2026-11-27T09:00:00Z")))
                .containsExactly(eight);
    }

    @Test
    void rawEventPayloadIsShownAsTextCutTo4KilobytesWithoutHalfACharacter() {
        // "x" then 2500 two-byte "é": 5001 bytes. The first 4096 bytes hold "x", 2047 "é" (4094 bytes) and the
        // first byte of the 2048th, which is dropped rather than shown as garbage.
        String payload = "x" + "é".repeat(2500);
        seed.rawEvent(source, "levain.raw.pos.sale", "2026-11-27T08:00:00Z", payload.getBytes(StandardCharsets.UTF_8));

        admin().queryParam("source", source)
                .when().get("/api/v1/admin/raw-events")
                .then().statusCode(200)
                .body("[0].payload", equalTo("x" + "é".repeat(2047)))
                .body("[0].payload_bytes", equalTo(5001))
                .body("[0].payload_truncated", equalTo(true));
    }

    @Test
    void rejectedEventPayloadCutInsideACharacterIsShownWithoutIt() {
        // The same 5001 bytes refused by the normalizer: the page shows "x" and 2047 "é", not an error.
        String payload = "x" + "é".repeat(2500);
        seed.execute("""
                INSERT INTO core.rejected_event (topic, kafka_partition, kafka_offset, event_id, reason, payload, headers, source)
                VALUES ('levain.raw.pos', 0, ?, ?, 'store_code is missing', ?, '{}'::jsonb, ?)""",
                System.nanoTime(), source + "/rejected", payload.getBytes(StandardCharsets.UTF_8), source);

        admin().queryParam("limit", 500)
                .when().get("/api/v1/admin/rejected-events")
                .then().statusCode(200)
                .body("find { it.source == '" + source + "' }.reason", equalTo("store_code is missing"))
                .body("find { it.source == '" + source + "' }.payload", equalTo("x" + "é".repeat(2047)));
    }

    @Test
    void rawEventsRefuseBadParametersNamingThem() {
        badRawEvents("received_from", "yesterday", null, null, "received_from");
        badRawEvents("received_from", "2026-11-27T09:00:00Z", "received_to", "2026-11-27T09:00:00Z", "received_from");
        badRawEvents("limit", "0", null, null, "limit");
        badRawEvents("limit", "501", null, null, "limit");
        badRawEvents("before_id", "0", null, null, "before_id");
        badRawEvents("limit", "abc", null, null, "limit");
        badRawEvents("before_id", "x1", null, null, "before_id");
    }

    @Test
    void replayWhenNormalizeServiceIsUnreachableIs503NamingWhere() {
        for (String path : List.of("/api/v1/admin/replay", "/api/v1/admin/replay-rejected")) {
            admin().contentType(ContentType.JSON).body("{\"type\": \"levain.raw.pos.sale\"}")
                    .when().post(path)
                    .then().statusCode(503)
                    .contentType("application/problem+json")
                    .body("title", equalTo("Downstream service unavailable"))
                    .body("detail", containsString("normalize-service is not reachable at http://127.0.0.1:1/"));
        }
        // Stores are kept by normalize-service too: an edit is never taken as done when it could not be sent.
        admin().contentType(ContentType.JSON).body("{\"name\": \"Lyon\", \"timezone\": \"Europe/Paris\", \"currency\": \"EUR\"}")
                .when().put("/api/v1/admin/stores/LYON")
                .then().statusCode(503)
                .body("detail", containsString("normalize-service is not reachable"));
    }

    @Test
    void replayWithBadFiltersIs400BeforeAnythingIsForwarded() {
        admin().contentType(ContentType.JSON).body("{\"from\": \"yesterday\"}")
                .when().post("/api/v1/admin/replay")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("parameter", equalTo("from"))
                .body("detail", containsString("yesterday"));
        admin().contentType(ContentType.JSON).body("{\"from\": \"2026-11-27T10:00:00Z\", \"to\": \"2026-11-27T09:00:00Z\"}")
                .when().post("/api/v1/admin/replay")
                .then().statusCode(400)
                .body("parameter", equalTo("from"));
        admin().contentType(ContentType.JSON).body("{\"to\": \"2026-11-27\"}")
                .when().post("/api/v1/admin/replay")
                .then().statusCode(400)
                .body("parameter", equalTo("to"));
        admin().contentType(ContentType.JSON).body("{\"source\": \"levain/pos-native/X\"}")
                .when().post("/api/v1/admin/replay-rejected")
                .then().statusCode(400)
                .body("parameter", equalTo("source"));
    }

    @Test
    void alertRulesWithoutAlertServiceConfiguredAre503() {
        admin().when().get("/api/v1/admin/alert-rules")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("detail", equalTo("alert-service is not configured (levain.api.alert.url)"));
        admin().contentType(ContentType.JSON).body("{\"name\": \"Low stock\", \"kind\": \"low_stock\"}")
                .when().post("/api/v1/admin/alert-rules")
                .then().statusCode(503);
        admin().when().delete("/api/v1/admin/alert-rules/7")
                .then().statusCode(503);
    }

    private void badRawEvents(String name, String value, String name2, String value2, String parameter) {
        RequestSpecification request = admin().queryParam(name, value);
        if (name2 != null) {
            request.queryParam(name2, value2);
        }
        request.when().get("/api/v1/admin/raw-events")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("parameter", equalTo(parameter));
    }

    private static List<Long> ids(RequestSpecification request) {
        return request.when().get("/api/v1/admin/raw-events")
                .then().statusCode(200)
                .extract().jsonPath().getList("id", Long.class);
    }

    private static byte[] json(String n) {
        return ("{\"n\":\"" + n + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", bearer(TestTokens.admin()));
    }
}
