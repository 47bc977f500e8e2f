package dev.levain.api.rest;

import static dev.levain.api.support.TestTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.levain.api.support.ApiTestResource;
import dev.levain.api.support.CoreSeed;
import dev.levain.api.support.TestTokens;
import dev.levain.devstack.test.DevStackTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * A burst of expensive KPI requests (another time zone: they scan {@code core.sale}) cannot take the service:
 * past {@code levain.api.expensive.at-most} they are refused with 503 and Retry-After, the ones admitted are
 * cancelled at the statement timeout (503 and Retry-After, not a hung connection), and cheap requests keep
 * answering all along. Sales are held up by a lock a test transaction takes on {@code core.sale}, as a slow
 * scan over years of history would.
 */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApiTestResource.class, scope = TestResourceScope.GLOBAL)
class ProtectionTest {

    private static final int AT_MOST = 4; // levain.api.expensive.at-most
    private static final int BURST = 2 * AT_MOST;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aBurstOfExpensiveRequestsIsRefusedWith503AndRetryAfterWhileCheapOnesKeepAnswering() throws Exception {
        CoreSeed seed = new CoreSeed(dataSource);
        String code = seed.code("BUSY");
        long store = seed.store(code, "Europe/Paris");
        long bread = seed.product("BREAD", "2.00", "0.50", "5");
        seed.sale(store, seed.customer("Zoe"), "2026-11-10T09:00:00+01:00", "in_store", "completed",
                new CoreSeed.Line(bread, "1", "2.00", "0.00"));
        seed.stock(bread, store, "12", "2026-11-10T08:00:00+01:00");
        seed.rollUp();
        String token = TestTokens.admin();

        ExecutorService callers = Executors.newFixedThreadPool(BURST);
        List<CompletableFuture<Response>> burst = new ArrayList<>();
        Response cheap;
        boolean admittedStillRunning;
        try (Connection holder = dataSource.getConnection(); Statement lock = holder.createStatement()) {
            holder.setAutoCommit(false);
            lock.execute("LOCK TABLE core.sale IN ACCESS EXCLUSIVE MODE");
            for (int i = 0; i < BURST; i++) {
                burst.add(CompletableFuture.supplyAsync(() -> customersInUtc(token, code), callers));
            }
            // The refused ones answer after the queue wait; the admitted ones wait on the lock.
            List<Response> answered = awaitAnswers(burst, BURST - AT_MOST);
            assertThat(answered).hasSize(BURST - AT_MOST);
            cheap = given().header("Authorization", bearer(token)).queryParam("store", code)
                    .when().get("/api/v1/kpis/inventory/levels");
            admittedStillRunning = burst.stream().filter(call -> !call.isDone()).count() == AT_MOST;
            // The lock is held until the admitted ones are cancelled at the statement timeout.
            assertThat(awaitAnswers(burst, BURST)).hasSize(BURST);
            holder.rollback();
        } finally {
            callers.shutdown();
        }

        assertThat(cheap.statusCode()).isEqualTo(200);
        assertThat(cheap.jsonPath().getList("levels.sku")).contains(seed.code("BREAD"));
        assertThat(admittedStillRunning).as("the cheap request answered while the admitted ones still ran").isTrue();
        List<Response> all = burst.stream().map(CompletableFuture::join).toList();
        for (Response refused : all) {
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(Integer.parseInt(refused.header("Retry-After"))).isPositive();
            assertThat(refused.jsonPath().getString("type")).isEqualTo("https://levain.dev/problems/busy");
        }
        assertThat(all).filteredOn(r -> r.jsonPath().getString("detail").startsWith("More than " + AT_MOST
                + " expensive KPI requests")).hasSize(BURST - AT_MOST);
        assertThat(all).filteredOn(r -> r.jsonPath().getString("detail").contains("statement timeout"))
                .hasSize(AT_MOST);

        // Room again once they are over: the same request answers.
        Response after = customersInUtc(token, code);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.jsonPath().getInt("total.active_customers")).isEqualTo(1);
    }

    private static Response customersInUtc(String token, String store) {
        return given().header("Authorization", bearer(token)).queryParam("store", store)
                .queryParam("from", "2026-11-01").queryParam("to", "2026-11-30").queryParam("timezone", "UTC")
                .when().get("/api/v1/kpis/customers");
    }

    /** Waits (at most 30 s) until {@code count} of the calls have answered; returns those answers. */
    private static List<Response> awaitAnswers(List<CompletableFuture<Response>> calls, int count) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> calls.stream().filter(CompletableFuture::isDone).count() >= count);
        return calls.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).toList();
    }
}
