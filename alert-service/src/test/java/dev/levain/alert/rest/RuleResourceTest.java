package dev.levain.alert.rest;

import static dev.levain.alert.support.Fixtures.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import dev.levain.alert.support.Fixtures;
import dev.levain.alert.support.OutsideWorldTestResource;
import dev.levain.devstack.test.DevStackTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** The admin API of rules and silences: validated, problem+json naming the field, bearer admin token. */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OutsideWorldTestResource.class, scope = TestResourceScope.GLOBAL)
class RuleResourceTest {

    @Test
    void ruleIsCreatedListedReplacedAndDisabled() {
        String store = Fixtures.store("API");
        long id = Fixtures.rule("""
                {"name": "Low stock", "kind": "low_stock", "store_code": "%s"}""".formatted(store));
        admin().get("/api/v1/alerts/rules/" + id).then().statusCode(200)
                .body("kind", equalTo("low_stock")).body("store_code", equalTo(store))
                .body("threshold", nullValue()).body("channels", contains("slack", "email")).body("enabled", equalTo(true));

        admin().body("""
                        {"name": "Low stock, 8 or less", "kind": "low_stock", "store_code": "%s", "threshold": 8,
                         "channels": ["email"]}""".formatted(store))
                .put("/api/v1/alerts/rules/" + id).then().statusCode(200)
                .body("threshold", equalTo(8.0f)).body("channels", contains("email"));
        admin().delete("/api/v1/alerts/rules/" + id).then().statusCode(200).body("enabled", equalTo(false));
        admin().get("/api/v1/alerts/rules?size=200&page=1").then().statusCode(200)
                .body("page", equalTo(1)).body("items.name", hasItem("Low stock, 8 or less"));
        admin().post("/api/v1/alerts/rules/" + id + "/enable").then().statusCode(200).body("enabled", equalTo(true));
    }

    @Test
    void invalidRuleIsRefusedNamingTheField() {
        admin().body("{\"name\": \"x\", \"kind\": \"low_stok\"}").post("/api/v1/alerts/rules").then()
                .statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Invalid input")).body("errors.field", contains("kind"));
        admin().body("{\"name\": \"Perishables\", \"kind\": \"days_of_supply\", \"threshold\": 3}")
                .post("/api/v1/alerts/rules").then().statusCode(400)
                .body("errors.field", contains("min_days", "threshold"));
        admin().body("{\"name\": \"x\", \"kind\": \"low_stock\", \"threshold\": \"lots\"}")
                .post("/api/v1/alerts/rules").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("threshold"));
        admin().body("{\"name\": \"x\", \"kind\": \"store_silent\", \"silent_minutes\": 0, \"channels\": [\"fax\"]}")
                .post("/api/v1/alerts/rules").then().statusCode(400)
                .body("errors.field", contains("silent_minutes", "channels"));
        admin().get("/api/v1/alerts/rules/999999999").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void salesAndCustomerRulesAreCheckedFieldByField() {
        long id = Fixtures.rule("""
                {"name": "Busy delivery hour", "kind": "sales_threshold", "metric": "transactions", "direction": "above",
                 "threshold": 40, "window_minutes": 60, "channel": "delivery"}""");
        admin().get("/api/v1/alerts/rules/" + id).then().statusCode(200).body("metric", equalTo("transactions"))
                .body("direction", equalTo("above")).body("window_minutes", equalTo(60))
                .body("channel", equalTo("delivery")).body("period", nullValue());
        admin().delete("/api/v1/alerts/rules/" + id).then().statusCode(200); // every store: kept out of other tests
        admin().body("""
                        {"name": "x", "kind": "sales_threshold", "metric": "margin", "threshold": -1, "window_minutes": 2,
                         "channel": "drive", "min_days": 3}""")
                .post("/api/v1/alerts/rules").then().statusCode(400)
                .body("errors.field", contains("metric", "direction", "threshold", "window_minutes", "channel",
                        "min_days"))
                .body("errors[0].message", equalTo("must be one of net_sales, transactions, average_ticket for "
                        + "sales_threshold"));
        admin().body("""
                        {"name": "x", "kind": "sales_unusual", "metric": "net_sales", "period": "week",
                         "tolerance_pct": 0, "baseline_weeks": 13}""")
                .post("/api/v1/alerts/rules").then().statusCode(400)
                .body("errors.field", contains("period", "tolerance_pct", "baseline_weeks"));
        admin().body("""
                        {"name": "x", "kind": "customer_change", "metric": "net_sales", "period": "week", "drop_pct": 120,
                         "window_minutes": 60}""")
                .post("/api/v1/alerts/rules").then().statusCode(400)
                .body("errors.field", contains("metric", "drop_pct", "window_minutes"));
    }

    @Test
    void adminApiNeedsTheAdminToken() {
        given().get("/api/v1/alerts/rules").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
        given().auth().oauth2("wrong").get("/api/v1/alerts").then().statusCode(401);
        given().auth().oauth2("wrong").contentType(ContentType.JSON).body("{}").post("/api/v1/alerts/rules")
                .then().statusCode(401);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void silenceNeedsATargetAndAFutureEnd() {
        admin().body("{\"until\": \"2020-01-01T00:00:00Z\"}").post("/api/v1/alerts/silences").then().statusCode(400)
                .body("errors.field", contains("rule_id", "until"));
    }

    @Test
    void historyListingsArePaged() {
        admin().get("/api/v1/alerts?page=0").then().statusCode(400).body("errors[0].field", equalTo("page"));
        admin().get("/api/v1/alerts/notifications?size=500").then().statusCode(400)
                .body("errors[0].field", equalTo("size"));
        admin().get("/api/v1/alerts?page=1&size=5").then().statusCode(200).body("size", equalTo(5));
    }
}
