package dev.levain.ingest.rest;

import static dev.levain.ingest.support.Webhooks.postSigned;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.levain.devstack.test.DevStackTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A deployment serving only the CRM source, as with {@code LEVAIN_INGEST_SOURCES=crm}. */
@QuarkusTest
@TestProfile(SingleSourceDeploymentTest.CrmOnly.class)
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class SingleSourceDeploymentTest {

    /** The one profile of this module besides the default: ingest for the CRM alone. */
    public static class CrmOnly implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("levain.ingest.sources", "crm");
        }
    }

    @Test
    void endpointsOfOtherSourcesAnswer404NamingTheSource() {
        postSigned("/api/v1/ingest/pos/sales", PosSaleResourceTest.sale("PAR-01", "S-1", "1.00"))
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("This deployment does not serve the pos source"));
        given().contentType("text/csv").header("Authorization", "Bearer test-upload-token")
                .body("store_code,sale_id,occurred_at,sku,quantity,unit_price\n").post("/api/v1/ingest/pos/csv")
                .then().statusCode(404);
    }

    @Test
    void theServedSourceStillWorks() {
        given().contentType("text/csv").header("Authorization", "Bearer test-upload-token")
                .body("email\nsolo@example.com\n").post("/api/v1/ingest/crm/contacts/csv")
                .then().statusCode(200).body("items", equalTo(1)).body("rejected_items", equalTo(0));
    }
}
