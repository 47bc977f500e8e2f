package dev.levain.api.rest;

import static dev.levain.api.support.TestTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.levain.api.support.ApiTestResource;
import dev.levain.api.support.CoreSeed;
import dev.levain.api.support.TestTokens;
import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.devstack.test.ExposedMetrics;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What an operator reads at {@code /q/metrics}: KPI request time per endpoint (templated, few series) and pool use. */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApiTestResource.class, scope = TestResourceScope.GLOBAL)
class MetricsTest {

    private static final String TODAY = "uri=\"/api/v1/kpis/sales/today\"";
    private static final Pattern URI = Pattern.compile("uri=\"([^\"]*)\"");

    @Inject
    AgroalDataSource dataSource;

    /**
     * Three KPI requests are three more timings of their endpoint, each under a bucket of the 20 ms
     * target's histogram; a goal read by id is timed under its template, and its id appears nowhere.
     */
    @Test
    void kpiRequestsAreTimedPerEndpointTemplate() {
        CoreSeed seed = new CoreSeed(dataSource);
        String store = seed.code("METRICS");
        seed.store(store, "Europe/Paris");
        double before = ExposedMetrics.sum(metrics(), "http_server_requests_seconds_count", TODAY, "status=\"200\"");

        for (int i = 0; i < 3; i++) {
            given().header("Authorization", bearer(TestTokens.admin())).queryParam("store", store)
                    .get("/api/v1/kpis/sales/today").then().statusCode(200);
        }
        given().header("Authorization", bearer(TestTokens.admin())).get("/api/v1/goals/987654321").then().statusCode(404);

        String metrics = metrics();
        assertThat(ExposedMetrics.sum(metrics, "http_server_requests_seconds_count", TODAY, "status=\"200\"") - before)
                .isEqualTo(3);
        assertThat(ExposedMetrics.sum(metrics, "http_server_requests_seconds_bucket", TODAY, "status=\"200\"",
                "le=\"+Inf\"") - before).isEqualTo(3);
        assertThat(metrics).contains("le=\"0.02\"").contains("uri=\"/api/v1/goals/{id}\"").doesNotContain("987654321")
                .doesNotContain(store);
        Matcher uri = URI.matcher(metrics);
        while (uri.find()) {
            // Templates, the dashboard's few static files, or Quarkus' fixed names (NOT_FOUND, REDIRECTION...).
            assertThat(uri.group(1)).as("uri tags are templates or fixed names").matches("/[a-z0-9/{}._-]*|[A-Z_]+");
        }
    }

    /** The pool's use is exposed; the connections in use and idle never exceed the pool's size. */
    @Test
    void connectionPoolUseIsExposed() {
        given().header("Authorization", bearer(TestTokens.admin())).get("/api/v1/stores").then().statusCode(200);

        String metrics = metrics();
        double active = ExposedMetrics.sum(metrics, "agroal_active_count", "datasource=\"default\"");
        double available = ExposedMetrics.sum(metrics, "agroal_available_count", "datasource=\"default\"");
        assertThat(active + available).isPositive().isLessThanOrEqualTo(maxPoolSize());
        assertThat(ExposedMetrics.sum(metrics, "agroal_acquire_count_total", "datasource=\"default\"")).isPositive();
    }

    /** exposed-metrics.txt, which deploy's alert rules and dashboard are checked against, is what api-service exposes. */
    @Test
    void exposedMetricsAreTheListedOnes() {
        given().header("Authorization", bearer(TestTokens.admin())).get("/api/v1/stores").then().statusCode(200);

        assertThat(ExposedMetrics.mismatches(metrics())).isEmpty();
    }

    private int maxPoolSize() {
        return dataSource.getConfiguration().connectionPoolConfiguration().maxSize();
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
