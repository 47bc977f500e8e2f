package dev.levain.api.rest;

import static dev.levain.api.support.TestTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.levain.api.support.ApiTestResource;
import dev.levain.api.support.CoreSeed;
import dev.levain.api.support.CoreSeed.Line;
import dev.levain.api.support.TestTokens;
import dev.levain.devstack.test.DevStackTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sales KPIs over a small data set whose figures are worked out by hand below: a refund given two days after its
 * sale, a voided sale, a customer buying in two stores, a store in New York, sales either side of a month end, and
 * a late correction restating a past day.
 *
 * <pre>
 * Paris (Europe/Paris, UTC+1 in November)           BREAD 2.00 (cost 0.50), CAKE 10.00 (cost 4.00); tax = 10% of net
 *   S1 Oct 31 23:30  alice in_store  2 BREAD                  gross  4.00           net  4.00  tax 0.40  cogs 1.00
 *   S2 Nov  1 00:30  bob   delivery  1 CAKE, 1.00 discount    gross 10.00 disc 1.00 net  9.00  tax 0.90  cogs 4.00
 *   S3 Nov  2 10:00  anonymous in_store 3 BREAD               gross  6.00           net  6.00  tax 0.60  cogs 1.50
 *   S4 Nov  2 11:00  alice in_store  2 CAKE                   gross 20.00           net 20.00  tax 2.00  cogs 8.00
 *      refund 5.00 on S4, given Nov 3 09:00
 *   S5 Nov  2 12:00  bob   voided    1 BREAD                  (not counted)
 * New York (America/New_York)
 *   S6 2026-11-01T03:30Z = Oct 31 23:30 EDT  alice  1 BREAD   gross  2.00           net  2.00  tax 0.20  cogs 0.50
 *   S7 2026-11-02T15:00Z = Nov 2 10:00 EST   alice  1 BREAD   gross  2.00           net  2.00  tax 0.20  cogs 0.50
 * </pre>
 */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApiTestResource.class, scope = TestResourceScope.GLOBAL)
class SalesKpiTest {

    @Inject
    AgroalDataSource dataSource;

    private CoreSeed seed;
    private String paris;
    private String newYork;
    private long parisId;
    private long bread;
    private long s3;

    @BeforeEach
    void seedBothStores() {
        seed = new CoreSeed(dataSource);
        paris = seed.code("PARIS");
        newYork = seed.code("NYC");
        parisId = seed.store(paris, "Europe/Paris");
        long newYorkId = seed.store(newYork, "America/New_York");
        bread = seed.product("BREAD", "2.00", "0.50", "10");
        long cake = seed.product("CAKE", "10.00", "4.00", "2");
        long alice = seed.customer("alice");
        long bob = seed.customer("bob");
        seed.sale(parisId, alice, "2026-10-31T23:30:00+01:00", "in_store", "completed", new Line(bread, "2", "2.00", "0.00"));
        seed.sale(parisId, bob, "2026-11-01T00:30:00+01:00", "delivery", "completed", new Line(cake, "1", "10.00", "1.00"));
        s3 = seed.sale(parisId, null, "2026-11-02T10:00:00+01:00", "in_store", "completed", new Line(bread, "3", "2.00", "0.00"));
        long s4 = seed.sale(parisId, alice, "2026-11-02T11:00:00+01:00", "in_store", "completed", new Line(cake, "2", "10.00", "0.00"));
        seed.refund(s4, "2026-11-03T09:00:00+01:00", "5.00");
        seed.sale(parisId, bob, "2026-11-02T12:00:00+01:00", "in_store", "voided", new Line(bread, "1", "2.00", "0.00"));
        seed.sale(newYorkId, alice, "2026-11-01T03:30:00Z", "in_store", "completed", new Line(bread, "1", "2.00", "0.00"));
        seed.sale(newYorkId, alice, "2026-11-02T15:00:00Z", "in_store", "completed", new Line(bread, "1", "2.00", "0.00"));
        seed.rollUp();
    }

    @Test
    void novemberAddsUpStoresChannelsRefundsAndCustomersOnce() {
        // Paris November: S2 + S3 + S4 − refund. gross 10 + 6 + 20 = 36, discounts 1, refunds 5, net 36 − 1 − 5 = 30,
        // tax 0.90 + 0.60 + 2.00 = 3.50, 3 transactions, ticket 30 / 3 = 10, customers bob + alice, 1 anonymous,
        // COGS 4 + 1.50 + 8 = 13.50, margin 30 − 13.50 = 16.50.
        // New York November: S7 only (S6 is Oct 31 in New York). All: net 32, 4 transactions, ticket 8,
        // customers {alice, bob} = 2 although alice bought in both stores; COGS 14.00, margin 18.00.
        admin().queryParam("store", paris + "," + newYork).queryParam("from", "2026-11-01").queryParam("to", "2026-11-30")
                .queryParam("granularity", "month")
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(200)
                .body("currency", equalTo("EUR"))
                .body("by_store.store", contains(paris, newYork))
                .body("by_store[0].figures.gross", equalTo(36.0f))
                .body("by_store[0].figures.discounts", equalTo(1.0f))
                .body("by_store[0].figures.refunds", equalTo(5.0f))
                .body("by_store[0].figures.net_sales", equalTo(30.0f))
                .body("by_store[0].figures.tax", equalTo(3.5f))
                .body("by_store[0].figures.transactions", equalTo(3))
                .body("by_store[0].figures.average_ticket", equalTo(10.0f))
                .body("by_store[0].figures.customers", equalTo(2))
                .body("by_store[0].figures.anonymous_transactions", equalTo(1))
                .body("by_store[0].figures.cogs", equalTo(13.5f))
                .body("by_store[0].figures.gross_margin", equalTo(16.5f))
                .body("by_store[1].figures.net_sales", equalTo(2.0f))
                .body("by_store[1].figures.customers", equalTo(1))
                .body("total.gross", equalTo(38.0f))
                .body("total.net_sales", equalTo(32.0f))
                .body("total.tax", equalTo(3.7f))
                .body("total.transactions", equalTo(4))
                .body("total.average_ticket", equalTo(8.0f))
                .body("total.customers", equalTo(2))
                .body("total.cogs", equalTo(14.0f))
                .body("total.gross_margin", equalTo(18.0f))
                // Channels: delivery is S2 (net 9); in store is S3 + S4 + S7 = 28 gross, less the 5.00 refund of S4.
                .body("by_channel.delivery.net_sales", equalTo(9.0f))
                .body("by_channel.delivery.transactions", equalTo(1))
                .body("by_channel.in_store.gross", equalTo(28.0f))
                .body("by_channel.in_store.refunds", equalTo(5.0f))
                .body("by_channel.in_store.net_sales", equalTo(23.0f))
                .body("series", hasSize(1))
                .body("series[0].period_start", equalTo("2026-11-01"))
                .body("series[0].period_end", equalTo("2026-11-30"))
                .body("series[0].total.net_sales", equalTo(32.0f));
    }

    @Test
    void novemberIsComparedWithOctoberAndWithNovemberLastYear() {
        // October (the previous whole month): S1 in Paris (4.00) and S6 in New York (2.00, Oct 31 there):
        // net 6, 2 transactions, 1 customer (alice). Change of net sales (32 − 6) / 6 = +433.3%, transactions +100%,
        // customers (2 − 1) / 1 = +100%. November 2025 had nothing: no change can be given.
        admin().queryParam("store", paris + "," + newYork).queryParam("from", "2026-11-01").queryParam("to", "2026-11-30")
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(200)
                .body("comparison.previous_period.from", equalTo("2026-10-01"))
                .body("comparison.previous_period.to", equalTo("2026-10-31"))
                .body("comparison.previous_period.total.net_sales", equalTo(6.0f))
                .body("comparison.previous_period.total.transactions", equalTo(2))
                .body("comparison.previous_period.total.customers", equalTo(1))
                .body("comparison.previous_period.change_percent.net_sales", equalTo(433.3f))
                .body("comparison.previous_period.change_percent.transactions", equalTo(100.0f))
                .body("comparison.previous_period.change_percent.customers", equalTo(100.0f))
                .body("comparison.same_period_last_year.from", equalTo("2025-11-01"))
                .body("comparison.same_period_last_year.total.net_sales", equalTo(0.0f))
                .body("comparison.same_period_last_year.change_percent.net_sales", nullValue())
                .body("by_store[0].previous_period.net_sales", equalTo(4.0f));
    }

    @Test
    void dailySeriesCountsTheRefundOnTheDayItWasGiven() {
        // Paris: Nov 1 = S2 (9.00); Nov 2 = S3 + S4 (26.00, the voided S5 left out); Nov 3 = the refund alone: −5.00,
        // no transaction, so no average ticket.
        admin().queryParam("store", paris).queryParam("from", "2026-11-01").queryParam("to", "2026-11-03")
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(200)
                .body("series.period_start", contains("2026-11-01", "2026-11-02", "2026-11-03"))
                .body("series.total.net_sales", contains(9.0f, 26.0f, -5.0f))
                .body("series.total.transactions", contains(1, 2, 0))
                .body("series.total.customers", contains(1, 1, 0))
                .body("series.total.anonymous_transactions", contains(0, 1, 0))
                .body("series[2].total.refunds", equalTo(5.0f))
                .body("series[2].total.average_ticket", nullValue())
                .body("series[1].stores." + paris + ".net_sales", equalTo(26.0f));
    }

    @Test
    void aLateCorrectionRestatesItsDayAndMonth() {
        String before = admin().queryParam("store", paris).queryParam("from", "2026-11-02").queryParam("to", "2026-11-02")
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(200).body("total.net_sales", equalTo(26.0f))
                .extract().header("ETag");

        // S3 is corrected late from 3 to 4 loaves: Nov 2 becomes 8 + 20 = 28.00, COGS 2.00 + 8.00 = 10.00.
        seed.correctQuantity(s3, 1, "4");
        seed.rollUp();

        admin().header("If-None-Match", before)
                .queryParam("store", paris).queryParam("from", "2026-11-02").queryParam("to", "2026-11-02")
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(200)
                .body("total.net_sales", equalTo(28.0f))
                .body("total.tax", equalTo(2.8f))
                .body("total.cogs", equalTo(10.0f));
        // The month follows: 30.00 + 2.00.
        admin().queryParam("store", paris).queryParam("from", "2026-11-01").queryParam("to", "2026-11-30")
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(200).body("total.net_sales", equalTo(32.0f));
    }

    @Test
    void anotherTimeZoneMovesSalesAcrossTheMonthEnd() {
        // In UTC, S2 (Nov 1 00:30 Paris = Oct 31 23:30 UTC) belongs to October, so Paris's November is S3 + S4 − refund
        // = 6 + 20 − 5 = 21.00 in 2 transactions; S6 (03:30 UTC on Nov 1) moves into New York's November 1st.
        admin().queryParam("store", paris).queryParam("from", "2026-11-01").queryParam("to", "2026-11-30")
                .queryParam("timezone", "UTC")
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(200)
                .body("timezone", equalTo("UTC"))
                .body("total.net_sales", equalTo(21.0f))
                .body("total.transactions", equalTo(2))
                .body("total.customers", equalTo(1));
        admin().queryParam("store", newYork).queryParam("from", "2026-11-01").queryParam("to", "2026-11-01")
                .queryParam("timezone", "UTC")
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(200).body("total.net_sales", equalTo(2.0f)).body("total.transactions", equalTo(1));
        admin().queryParam("store", newYork).queryParam("from", "2026-11-01").queryParam("to", "2026-11-01")
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(200).body("timezone", equalTo("store")).body("total.transactions", equalTo(0));
    }

    @Test
    void aChannelFilterKeepsOnlyThatChannel() {
        admin().queryParam("store", paris).queryParam("from", "2026-11-01").queryParam("to", "2026-11-30")
                .queryParam("channel", "delivery")
                .when().get("/api/v1/kpis/sales")
                .then().statusCode(200)
                .body("channel", equalTo("delivery"))
                .body("total.net_sales", equalTo(9.0f))
                .body("total.transactions", equalTo(1));
    }

    @Test
    void todayShowsEachStoresOwnBusinessDayBesideLastWeek() {
        LocalDate today = LocalDate.now(ZoneId.of("Europe/Paris"));
        seed.sale(parisId, null, today.atTime(0, 1).atZone(ZoneId.of("Europe/Paris")).toOffsetDateTime().toString(),
                "in_store", "completed", new Line(bread, "5", "2.00", "0.00"));
        seed.sale(parisId, null, today.minusWeeks(1).atTime(9, 0).atZone(ZoneId.of("Europe/Paris")).toOffsetDateTime()
                .toString(), "in_store", "completed", new Line(bread, "1", "2.00", "0.00"));
        seed.rollUp();
        given().header("Authorization", bearer(TestTokens.viewer(paris)))
                .when().get("/api/v1/kpis/sales/today")
                .then().statusCode(200)
                .body("stores.store", contains(paris))
                .body("stores[0].business_date", equalTo(today.toString()))
                .body("stores[0].today.net_sales", equalTo(10.0f))
                .body("stores[0].today.transactions", equalTo(1))
                .body("stores[0].same_day_last_week.net_sales", equalTo(2.0f));
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", bearer(TestTokens.admin()));
    }
}
