package dev.levain.api.rest;

import static dev.levain.api.support.TestTokens.bearer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.levain.api.support.ApiTestResource;
import dev.levain.api.support.CoreSeed;
import dev.levain.api.support.TestTokens;
import dev.levain.devstack.test.DevStackTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every customer count the API answers (new, active, repeat, previously active, retained; per store, per bucket
 * and in total; and the sales endpoint's distinct customers) equals DESIGN.md §4's definition computed by brute force over
 * {@code core.sale}, on a generated data set: three stores in two time zones, customers buying at several of them,
 * anonymous sales, voids, sales moved across midnight after they were rolled up, refunds, two merges of customers,
 * and the day Paris leaves summer time. In other time zones (whose days cut the stores' days in two), the sales
 * figures and customer counts equal the same definitions over each sale's and refund's instant.
 */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApiTestResource.class, scope = TestResourceScope.GLOBAL)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomerCountsExactnessTest {

    private static final LocalDate FIRST = LocalDate.parse("2026-07-01");
    private static final int DAYS = 153;
    // DESIGN §4 over core.sale. Parameters: stores, from, to (the span); stores, from, to (the span before).
    private static final String BRUTE_FORCE = """
            WITH now AS (SELECT customer_id, count(*) AS sales FROM core.sale
                         WHERE status = 'completed' AND customer_id IS NOT NULL AND store_id = ANY (?)
                           AND business_date BETWEEN ? AND ? GROUP BY customer_id),
                 before AS (SELECT DISTINCT customer_id FROM core.sale
                            WHERE status = 'completed' AND customer_id IS NOT NULL AND store_id = ANY (?)
                              AND business_date BETWEEN ? AND ?)
            SELECT (SELECT count(*) FROM now), (SELECT count(*) FROM now WHERE sales >= 2), (SELECT count(*) FROM before),
                   (SELECT count(*) FROM now JOIN before USING (customer_id))""";

    // DESIGN §4: customers (not merged away) whose first completed sale at any store is at one of these stores
    // within the span. Parameters: stores, from, to.
    private static final String NEW_BY_BRUTE_FORCE = """
            SELECT count(*) FROM (SELECT DISTINCT ON (customer_id) customer_id, store_id, business_date FROM core.sale
                                  WHERE status = 'completed' AND customer_id IS NOT NULL
                                  ORDER BY customer_id, occurred_at, id) f
            JOIN core.customer c ON c.id = f.customer_id AND c.merged_into IS NULL
            WHERE f.store_id = ANY (?) AND f.business_date BETWEEN ? AND ?""";

    // DESIGN §4's cohorts over core.sale: the customers (not merged away) whose first completed sale at any store is
    // at one of these stores in a month of the span (month null: its size), and how many of them bought at those
    // stores in each later month of the span. Parameters: stores, from, to (the cohorts); stores, from, to (activity).
    private static final String COHORTS_BY_BRUTE_FORCE = """
            WITH cohort AS (
                SELECT f.customer_id, date_trunc('month', f.business_date)::date AS month
                FROM (SELECT DISTINCT ON (customer_id) customer_id, store_id, business_date FROM core.sale
                      WHERE status = 'completed' AND customer_id IS NOT NULL
                      ORDER BY customer_id, occurred_at, id) f
                JOIN core.customer c ON c.id = f.customer_id AND c.merged_into IS NULL
                WHERE f.store_id = ANY (?) AND f.business_date BETWEEN ? AND ?)
            SELECT month, NULL::date, count(*) FROM cohort GROUP BY 1
            UNION ALL
            SELECT c.month, date_trunc('month', s.business_date)::date, count(DISTINCT c.customer_id)
            FROM cohort c JOIN core.sale s ON s.customer_id = c.customer_id
            WHERE s.status = 'completed' AND s.store_id = ANY (?) AND s.business_date BETWEEN ? AND ?
              AND date_trunc('month', s.business_date)::date > c.month
            GROUP BY 1, 2""";

    // DESIGN §4 in a given zone: completed sales by the zone's date of their instant. Parameters: zone, stores, from, to.
    private static final String ZONE_SALES_BY_BRUTE_FORCE = """
            SELECT count(*), coalesce(sum(s.gross), 0), coalesce(sum(s.net), 0), coalesce(sum(l.cogs), 0),
                   count(*) FILTER (WHERE s.customer_id IS NULL), count(DISTINCT s.customer_id)
            FROM core.sale s
            CROSS JOIN LATERAL (SELECT coalesce(sum(round(x.qty * x.unit_cost, 2)), 0) AS cogs
                                FROM core.sale_line x WHERE x.sale_id = s.id) l
            WHERE s.status = 'completed' AND s.store_id = ANY (?) AND (s.occurred_at AT TIME ZONE ?)::date BETWEEN ? AND ?""";
    // Completed refunds by the zone's date of the instant they were given. Parameters: stores, zone, from, to.
    private static final String ZONE_REFUNDS_BY_BRUTE_FORCE = """
            SELECT coalesce(sum(amount), 0) FROM core.refund
            WHERE status = 'completed' AND store_id = ANY (?) AND (occurred_at AT TIME ZONE ?)::date BETWEEN ? AND ?""";
    // BRUTE_FORCE by the zone's dates. Parameters: stores, zone, from, to (the span); stores, zone, from, to (before).
    private static final String ZONE_CUSTOMERS_BY_BRUTE_FORCE = """
            WITH now AS (SELECT customer_id, count(*) AS sales FROM core.sale
                         WHERE status = 'completed' AND customer_id IS NOT NULL AND store_id = ANY (?)
                           AND (occurred_at AT TIME ZONE ?)::date BETWEEN ? AND ? GROUP BY customer_id),
                 before AS (SELECT DISTINCT customer_id FROM core.sale
                            WHERE status = 'completed' AND customer_id IS NOT NULL AND store_id = ANY (?)
                              AND (occurred_at AT TIME ZONE ?)::date BETWEEN ? AND ?)
            SELECT (SELECT count(*) FROM now), (SELECT count(*) FROM now WHERE sales >= 2), (SELECT count(*) FROM before),
                   (SELECT count(*) FROM now JOIN before USING (customer_id))""";
    // NEW_BY_BRUTE_FORCE by the zone's date of the first sale's instant. Parameters: stores, zone, from, to.
    private static final String ZONE_NEW_BY_BRUTE_FORCE = """
            SELECT count(*) FROM (SELECT DISTINCT ON (customer_id) customer_id, store_id, occurred_at FROM core.sale
                                  WHERE status = 'completed' AND customer_id IS NOT NULL
                                  ORDER BY customer_id, occurred_at, id) f
            JOIN core.customer c ON c.id = f.customer_id AND c.merged_into IS NULL
            WHERE f.store_id = ANY (?) AND (f.occurred_at AT TIME ZONE ?)::date BETWEEN ? AND ?""";
    // Zones whose days begin at other hours than the stores' (Paris, New York), one of them on a quarter hour,
    // one changing to winter time on another date.
    private static final List<String> ZONES = List.of("UTC", "Asia/Kathmandu", "America/Los_Angeles");

    @Inject
    AgroalDataSource dataSource;

    private final List<String> codes = new ArrayList<>();
    private final List<Long> ids = new ArrayList<>();
    private CoreSeed seed;
    private long bread;

    @BeforeAll
    void aGeneratedHistoryWithLateChanges() {
        seed = new CoreSeed(dataSource);
        String[][] stores = {{"PARIS", "Europe/Paris"}, {"LYON", "Europe/Paris"}, {"NYC", "America/New_York"}};
        for (String[] store : stores) {
            codes.add(seed.code(store[0]));
            ids.add(seed.store(seed.code(store[0]), store[1]));
        }
        bread = seed.product("BREAD", "2.00", "0.50", "5");
        List<Long> customers = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            customers.add(seed.customer("Customer" + i));
        }
        Random random = new Random(20261025);
        List<Long> sales = new ArrayList<>();
        for (int i = 0; i < 900; i++) {
            int store = random.nextInt(3);
            // Half of the customers buy often (a few at every store), the others now and then.
            Long customer = random.nextInt(10) == 0 ? null
                    : customers.get(random.nextBoolean() ? random.nextInt(12) : random.nextInt(customers.size()));
            ZoneId zone = ZoneId.of(stores[store][1]);
            // Any minute of the day, the small hours included: some sales sit near midnight.
            OffsetDateTime at = FIRST.plusDays(random.nextInt(DAYS)).atStartOfDay(zone)
                    .plusMinutes(random.nextInt(24 * 60)).toOffsetDateTime();
            String status = random.nextInt(25) == 0 ? "voided" : "completed";
            long sale = seed.sale(ids.get(store), customer, at.toString(), "in_store", status,
                    new CoreSeed.Line(bread, String.valueOf(1 + random.nextInt(3)), "2.00", "0.00"));
            if ("completed".equals(status)) {
                sales.add(sale);
                if (random.nextInt(30) == 0) {
                    seed.refund(sale, at.plusDays(1).toString(), "1.00");
                }
            }
        }
        // Customers who first buy inside the windows asked: their first purchases are moved, voided and merged.
        List<Long> firstSales = new ArrayList<>();
        List<Long> late = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            late.add(seed.customer("Late" + i));
            OffsetDateTime first = LocalDate.parse("2026-10-02").plusDays(4L * i)
                    .atTime(9, 0).atZone(ZoneId.of("Europe/Paris")).toOffsetDateTime();
            firstSales.add(seed.sale(ids.get(i % 3), late.get(i), first.toString(), "in_store", "completed",
                    new CoreSeed.Line(bread, "1", "2.00", "0.00")));
            seed.sale(ids.get((i + 1) % 3), late.get(i), first.plusDays(3).toString(), "in_store", "completed",
                    new CoreSeed.Line(bread, "1", "2.00", "0.00"));
        }
        seed.rollUp();
        seed.merge(customers.get(40), customers.get(3));
        seed.merge(customers.get(41), customers.get(5));
        seed.merge(late.get(0), late.get(1));
        seed.merge(late.get(2), customers.get(7));
        seed.rollUp();
        seed.voidSale(firstSales.get(3));
        seed.move(firstSales.get(4), LocalDate.parse("2026-11-20").atTime(23, 58)
                .atZone(ZoneId.of("Europe/Paris")).toOffsetDateTime().toString());
        seed.move(firstSales.get(5), LocalDate.parse("2026-10-20").atTime(0, 3)
                .atZone(ZoneId.of("Europe/Paris")).toOffsetDateTime().toString());
        // After the rollups: voids, and sales moved a few minutes across their store's midnight (either way).
        for (int i = 0; i < 40; i++) {
            long sale = sales.remove(random.nextInt(sales.size()));
            if (i % 2 == 0) {
                seed.voidSale(sale);
            } else {
                LocalDate day = FIRST.plusDays(1 + random.nextInt(DAYS - 2));
                ZoneId zone = ZoneId.of(i % 4 == 1 ? "America/New_York" : "Europe/Paris");
                seed.move(sale, day.atStartOfDay(zone).plusMinutes(i % 3 == 0 ? -7 : 7).toOffsetDateTime().toString());
            }
        }
    }

    @Test
    void customerKpisOfEveryStoreAndBucketEqualTheDefinitionOverTheSales() throws SQLException {
        SoftAssertions softly = new SoftAssertions();
        String[][] queries = {{"2026-09-01", "2026-11-30", "month"}, {"2026-10-14", "2026-11-08", "week"},
                {"2026-10-23", "2026-10-27", "day"}, {"2026-08-10", "2026-10-31", "month"}};
        for (String[] query : queries) {
            for (List<Integer> stores : List.of(List.of(0, 1, 2), List.of(1), List.of(0, 2))) {
                JsonPath json = customers(stores, query[0], query[1], query[2]);
                String what = String.join(" ", query) + " " + stores;
                LocalDate from = LocalDate.parse(query[0]);
                LocalDate previousFrom = LocalDate.parse(json.getString("comparison.previous_period.from"));
                check(softly, what + " total", json.getMap("total"), stores, from, LocalDate.parse(query[1]),
                        previousFrom, from.minusDays(1));
                for (int store : stores) {
                    Map<String, Object> figures = json.getMap("by_store.find { it.store == '" + codes.get(store)
                            + "' }.figures");
                    check(softly, what + " " + codes.get(store), figures, List.of(store), from,
                            LocalDate.parse(query[1]), previousFrom, from.minusDays(1));
                }
                List<Map<String, Object>> series = json.getList("series");
                for (int i = 0; i < series.size(); i++) {
                    String bucket = "series[" + i + "]";
                    LocalDate start = LocalDate.parse(json.getString(bucket + ".period_start"));
                    LocalDate end = LocalDate.parse(json.getString(bucket + ".period_end"));
                    LocalDate previousStart = LocalDate.parse(json.getString(bucket + ".previous_start"));
                    LocalDate previousEnd = LocalDate.parse(json.getString(bucket + ".previous_end"));
                    check(softly, what + " " + start, json.getMap(bucket + ".total"), stores, start, end,
                            previousStart, previousEnd);
                    for (int store : stores) {
                        check(softly, what + " " + start + " " + codes.get(store),
                                json.getMap(bucket + ".stores." + codes.get(store)), List.of(store), start, end,
                                previousStart, previousEnd);
                    }
                }
            }
        }
        softly.assertAll();
    }

    @Test
    void salesDistinctCustomersOfEveryStoreAndBucketEqualTheDefinitionOverTheSales() throws SQLException {
        SoftAssertions softly = new SoftAssertions();
        for (String granularity : List.of("day", "week", "month")) {
            JsonPath json = given().header("Authorization", bearer(TestTokens.admin()))
                    .queryParam("store", String.join(",", codes))
                    .queryParam("from", "2026-10-20").queryParam("to", "2026-11-05").queryParam("granularity", granularity)
                    .when().get("/api/v1/kpis/sales").then().statusCode(200).extract().jsonPath();
            LocalDate from = LocalDate.parse("2026-10-20");
            LocalDate to = LocalDate.parse("2026-11-05");
            List<Integer> all = List.of(0, 1, 2);
            softly.assertThat(json.getLong("total.customers")).as(granularity + " total")
                    .isEqualTo(bruteForce(all, from, to, from, to)[0]);
            for (int store : all) {
                softly.assertThat(json.getLong("by_store.find { it.store == '" + codes.get(store) + "' }.figures.customers"))
                        .as(granularity + " " + codes.get(store)).isEqualTo(bruteForce(List.of(store), from, to, from, to)[0]);
            }
            List<Map<String, Object>> series = json.getList("series");
            for (int i = 0; i < series.size(); i++) {
                LocalDate start = LocalDate.parse(json.getString("series[" + i + "].period_start"));
                LocalDate end = LocalDate.parse(json.getString("series[" + i + "].period_end"));
                softly.assertThat(json.getLong("series[" + i + "].total.customers")).as(granularity + " " + start)
                        .isEqualTo(bruteForce(all, start, end, start, end)[0]);
                for (int store : all) {
                    softly.assertThat(json.getLong("series[" + i + "].stores." + codes.get(store) + ".customers"))
                            .as(granularity + " " + start + " " + codes.get(store))
                            .isEqualTo(bruteForce(List.of(store), start, end, start, end)[0]);
                }
            }
        }
        softly.assertAll();
    }

    @Test
    void salesAndCustomersInOtherTimeZonesEqualTheDefinitionOverEachSalesInstant() throws SQLException {
        SoftAssertions softly = new SoftAssertions();
        for (String zone : ZONES) {
            for (String granularity : List.of("day", "week")) {
                checkZone(softly, zone, granularity, "2026-10-20", "2026-11-05");
            }
        }
        softly.assertAll();
    }

    @Test
    void aSaleMovedWithinItsStoresDayToAnotherDayOfAZoneMovesThere() throws SQLException {
        // A Paris sale at 00:40 on 10 October (22:40 UTC the day before), then moved to 02:10 (00:10 UTC): the same
        // business day for Paris, another day in UTC.
        ZoneId paris = ZoneId.of("Europe/Paris");
        long customer = seed.customer("NightOwl");
        long sale = seed.sale(ids.get(0), customer, LocalDate.parse("2026-10-10").atTime(0, 40).atZone(paris)
                .toOffsetDateTime().toString(), "in_store", "completed", new CoreSeed.Line(bread, "1", "2.00", "0.00"));
        seed.rollUp();
        SoftAssertions softly = new SoftAssertions();
        checkZone(softly, "UTC", "day", "2026-10-08", "2026-10-11");
        long before = zoneSales(List.of(0), "UTC", "2026-10-10", "2026-10-10").getLong("total.transactions");

        seed.move(sale, LocalDate.parse("2026-10-10").atTime(2, 10).atZone(paris).toOffsetDateTime().toString());

        assertThat(zoneSales(List.of(0), "UTC", "2026-10-10", "2026-10-10").getLong("total.transactions"))
                .as("the sale now counts on 10 October in UTC").isEqualTo(before + 1);
        checkZone(softly, "UTC", "day", "2026-10-08", "2026-10-11");
        softly.assertAll();
    }

    /** The sales and customer KPIs of every store, bucket and the total in {@code zone}, against the definitions. */
    private void checkZone(SoftAssertions softly, String zone, String granularity, String from, String to)
            throws SQLException {
        List<Integer> all = List.of(0, 1, 2);
        String what = zone + " " + granularity;
        JsonPath sales = zoneSales(all, zone, from, to, granularity);
        checkZoneSales(softly, what + " total", sales.getMap("total"), all, zone, from, to);
        for (int store : all) {
            checkZoneSales(softly, what + " " + codes.get(store),
                    sales.getMap("by_store.find { it.store == '" + codes.get(store) + "' }.figures"), List.of(store),
                    zone, from, to);
        }
        List<Map<String, Object>> series = sales.getList("series");
        for (int i = 0; i < series.size(); i++) {
            String bucket = "series[" + i + "]";
            String start = sales.getString(bucket + ".period_start");
            String end = sales.getString(bucket + ".period_end");
            checkZoneSales(softly, what + " " + start, sales.getMap(bucket + ".total"), all, zone, start, end);
            for (int store : all) {
                checkZoneSales(softly, what + " " + start + " " + codes.get(store),
                        sales.getMap(bucket + ".stores." + codes.get(store)), List.of(store), zone, start, end);
            }
        }
        JsonPath customers = given().header("Authorization", bearer(TestTokens.admin()))
                .queryParam("store", String.join(",", codes)).queryParam("from", from).queryParam("to", to)
                .queryParam("granularity", granularity).queryParam("timezone", zone)
                .when().get("/api/v1/kpis/customers").then().statusCode(200).extract().jsonPath();
        LocalDate previousFrom = LocalDate.parse(customers.getString("comparison.previous_period.from"));
        checkZoneCustomers(softly, what + " customers total", customers.getMap("total"), all, zone,
                LocalDate.parse(from), LocalDate.parse(to), previousFrom, LocalDate.parse(from).minusDays(1));
        List<Map<String, Object>> buckets = customers.getList("series");
        for (int i = 0; i < buckets.size(); i++) {
            String bucket = "series[" + i + "]";
            for (int store : all) {
                checkZoneCustomers(softly, what + " customers " + customers.getString(bucket + ".period_start") + " "
                                + codes.get(store), customers.getMap(bucket + ".stores." + codes.get(store)),
                        List.of(store), zone, LocalDate.parse(customers.getString(bucket + ".period_start")),
                        LocalDate.parse(customers.getString(bucket + ".period_end")),
                        LocalDate.parse(customers.getString(bucket + ".previous_start")),
                        LocalDate.parse(customers.getString(bucket + ".previous_end")));
            }
        }
    }

    private JsonPath zoneSales(List<Integer> stores, String zone, String from, String to, String... granularity) {
        return given().header("Authorization", bearer(TestTokens.admin()))
                .queryParam("store", String.join(",", stores.stream().map(codes::get).toList()))
                .queryParam("from", from).queryParam("to", to)
                .queryParam("granularity", granularity.length == 0 ? "day" : granularity[0])
                .queryParam("timezone", zone)
                .when().get("/api/v1/kpis/sales").then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    private void checkZoneSales(SoftAssertions softly, String what, Map<String, Object> figures, List<Integer> stores,
                                String zone, String from, String to) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement sales = connection.prepareStatement(ZONE_SALES_BY_BRUTE_FORCE);
             PreparedStatement refunds = connection.prepareStatement(ZONE_REFUNDS_BY_BRUTE_FORCE)) {
            for (PreparedStatement query : List.of(sales, refunds)) {
                query.setArray(1, connection.createArrayOf("bigint", stores.stream().map(ids::get).toArray()));
                query.setString(2, zone);
                query.setObject(3, LocalDate.parse(from));
                query.setObject(4, LocalDate.parse(to));
            }
            try (ResultSet sold = sales.executeQuery(); ResultSet refunded = refunds.executeQuery()) {
                sold.next();
                refunded.next();
                softly.assertThat(List.of(number(figures.get("transactions")), decimal(figures.get("gross")),
                                decimal(figures.get("refunds")), decimal(figures.get("net_sales")),
                                decimal(figures.get("cogs")), number(figures.get("anonymous_transactions")),
                                number(figures.get("customers"))))
                        .as(what + ": transactions, gross, refunds, net sales, COGS, anonymous, customers")
                        .containsExactly(sold.getLong(1), decimal(sold.getBigDecimal(2)), decimal(refunded.getBigDecimal(1)),
                                decimal(sold.getBigDecimal(3).subtract(refunded.getBigDecimal(1))),
                                decimal(sold.getBigDecimal(4)), sold.getLong(5), sold.getLong(6));
            }
        }
    }

    private void checkZoneCustomers(SoftAssertions softly, String what, Map<String, Object> figures,
                                    List<Integer> stores, String zone, LocalDate from, LocalDate to,
                                    LocalDate previousFrom, LocalDate previousTo) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(ZONE_CUSTOMERS_BY_BRUTE_FORCE);
             PreparedStatement acquired = connection.prepareStatement(ZONE_NEW_BY_BRUTE_FORCE)) {
            Object[] storeIds = stores.stream().map(ids::get).toArray();
            query.setArray(1, connection.createArrayOf("bigint", storeIds));
            query.setString(2, zone);
            query.setObject(3, from);
            query.setObject(4, to);
            query.setArray(5, connection.createArrayOf("bigint", storeIds));
            query.setString(6, zone);
            query.setObject(7, previousFrom);
            query.setObject(8, previousTo);
            acquired.setArray(1, connection.createArrayOf("bigint", storeIds));
            acquired.setString(2, zone);
            acquired.setObject(3, from);
            acquired.setObject(4, to);
            try (ResultSet row = query.executeQuery(); ResultSet newOnes = acquired.executeQuery()) {
                row.next();
                newOnes.next();
                softly.assertThat(List.of(number(figures.get("active_customers")), number(figures.get("repeat_customers")),
                                number(figures.get("previously_active_customers")),
                                number(figures.get("retained_customers")), number(figures.get("new_customers"))))
                        .as(what + ": active, repeat, previously active, retained, new")
                        .containsExactly(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4),
                                newOnes.getLong(1));
            }
        }
    }

    private static BigDecimal decimal(Object value) {
        return new BigDecimal(value.toString()).setScale(2);
    }

    @Test
    void cohortsOfEveryStoreSetEqualTheDefinitionOverTheSales() throws SQLException {
        SoftAssertions softly = new SoftAssertions();
        for (List<Integer> stores : List.of(List.of(0, 1, 2), List.of(1), List.of(0, 2))) {
            softly.assertThat(cohorts(stores, "2026-07-01", "2026-11-30")).as("cohorts of " + stores)
                    .isEqualTo(cohortsByBruteForce(stores, "2026-07-01", "2026-11-30"));
        }
        softly.assertAll();
    }

    @Test
    void cohortsFollowAMergeThatMovesACustomersFirstPurchaseToAnotherMonth() throws SQLException {
        long early = seed.customer("EarlyBird");
        long later = seed.customer("LateBird");
        ZoneId paris = ZoneId.of("Europe/Paris");
        for (String[] sale : new String[][] {{"2026-08-05", "E"}, {"2026-10-07", "E"}, {"2026-09-10", "L"},
                {"2026-11-12", "L"}}) {
            seed.sale(ids.get(0), "E".equals(sale[1]) ? early : later,
                    LocalDate.parse(sale[0]).atTime(9, 30).atZone(paris).toOffsetDateTime().toString(), "in_store",
                    "completed", new CoreSeed.Line(bread, "1", "2.00", "0.00"));
        }
        seed.rollUp();
        List<Integer> paris0 = List.of(0);
        Map<String, Long> before = cohorts(paris0, "2026-07-01", "2026-11-30");
        assertThat(before).as("the cohorts read (and kept in memory) before the merge")
                .isEqualTo(cohortsByBruteForce(paris0, "2026-07-01", "2026-11-30"));
        SoftAssertions softly = new SoftAssertions();
        checkWholeMonths(softly, "before the merge", paris0);

        // The later customer turns out to be the early one: it keeps its sales and takes August's first purchase.
        seed.merge(early, later);
        seed.rollUp();

        Map<String, Long> after = cohorts(paris0, "2026-07-01", "2026-11-30");
        assertThat(after).as("the cohorts after the merge")
                .isEqualTo(cohortsByBruteForce(paris0, "2026-07-01", "2026-11-30"));
        assertThat(after.get("2026-09")).as("September's cohort lost the merged customer's first purchase")
                .isEqualTo(before.get("2026-09") - 1);
        assertThat(after.get("2026-08/2026-11")).as("August's cohort bought in November through the survivor")
                .isEqualTo(before.getOrDefault("2026-08/2026-11", 0L) + 1);
        // Whole months' unions are kept in memory too: they follow the merge as the days do.
        checkWholeMonths(softly, "after the merge", paris0);
        softly.assertAll();
    }

    /** The customer KPIs of August to November by month (whole months, each against the one before). */
    private void checkWholeMonths(SoftAssertions softly, String when, List<Integer> stores) throws SQLException {
        JsonPath json = customers(stores, "2026-08-01", "2026-11-30", "month");
        LocalDate previousFrom = LocalDate.parse(json.getString("comparison.previous_period.from"));
        check(softly, when + " total", json.getMap("total"), stores, LocalDate.parse("2026-08-01"),
                LocalDate.parse("2026-11-30"), previousFrom, LocalDate.parse("2026-07-31"));
        List<Map<String, Object>> series = json.getList("series");
        for (int i = 0; i < series.size(); i++) {
            String bucket = "series[" + i + "]";
            check(softly, when + " " + json.getString(bucket + ".period_start"), json.getMap(bucket + ".total"), stores,
                    LocalDate.parse(json.getString(bucket + ".period_start")),
                    LocalDate.parse(json.getString(bucket + ".period_end")),
                    LocalDate.parse(json.getString(bucket + ".previous_start")),
                    LocalDate.parse(json.getString(bucket + ".previous_end")));
        }
    }

    /** The cohorts answer as "month" → size and "month/later month" → active customers (zeros left out). */
    private Map<String, Long> cohorts(List<Integer> stores, String from, String to) {
        JsonPath json = given().header("Authorization", bearer(TestTokens.admin()))
                .queryParam("store", String.join(",", stores.stream().map(codes::get).toList()))
                .queryParam("from", from).queryParam("to", to)
                .when().get("/api/v1/kpis/customers/cohorts").then().statusCode(200).extract().jsonPath();
        Map<String, Long> figures = new TreeMap<>();
        List<Map<String, Object>> cohorts = json.getList("cohorts");
        for (Map<String, Object> cohort : cohorts) {
            figures.put((String) cohort.get("month"), number(cohort.get("customers")));
            for (Object entry : (List<?>) cohort.get("activity")) {
                Map<?, ?> activity = (Map<?, ?>) entry;
                long active = number(activity.get("active_customers"));
                if (active > 0) {
                    figures.put(cohort.get("month") + "/" + activity.get("month"), active);
                }
            }
        }
        return figures;
    }

    private Map<String, Long> cohortsByBruteForce(List<Integer> stores, String from, String to) throws SQLException {
        Map<String, Long> figures = new TreeMap<>();
        for (LocalDate month = LocalDate.parse(from); !month.isAfter(LocalDate.parse(to)); month = month.plusMonths(1)) {
            figures.put(YearMonth.from(month).toString(), 0L);
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(COHORTS_BY_BRUTE_FORCE)) {
            Object[] storeIds = stores.stream().map(ids::get).toArray();
            for (int first : new int[] {1, 4}) {
                query.setArray(first, connection.createArrayOf("bigint", storeIds));
                query.setObject(first + 1, LocalDate.parse(from));
                query.setObject(first + 2, LocalDate.parse(to));
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String cohort = YearMonth.from(rows.getObject(1, LocalDate.class)).toString();
                    LocalDate month = rows.getObject(2, LocalDate.class);
                    figures.put(month == null ? cohort : cohort + "/" + YearMonth.from(month), rows.getLong(3));
                }
            }
        }
        return figures;
    }

    private void check(SoftAssertions softly, String what, Map<String, Object> figures, List<Integer> stores,
                       LocalDate from, LocalDate to, LocalDate previousFrom, LocalDate previousTo) throws SQLException {
        long[] expected = bruteForce(stores, from, to, previousFrom, previousTo);
        softly.assertThat(List.of(number(figures.get("active_customers")), number(figures.get("repeat_customers")),
                        number(figures.get("previously_active_customers")), number(figures.get("retained_customers")),
                        number(figures.get("new_customers"))))
                .as(what + ": active, repeat, previously active, retained, new")
                .containsExactly(expected[0], expected[1], expected[2], expected[3], newByBruteForce(stores, from, to));
    }

    private long newByBruteForce(List<Integer> stores, LocalDate from, LocalDate to) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(NEW_BY_BRUTE_FORCE)) {
            query.setArray(1, connection.createArrayOf("bigint", stores.stream().map(ids::get).toArray()));
            query.setObject(2, from);
            query.setObject(3, to);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private long[] bruteForce(List<Integer> stores, LocalDate from, LocalDate to, LocalDate previousFrom,
                              LocalDate previousTo) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(BRUTE_FORCE)) {
            Object[] storeIds = stores.stream().map(ids::get).toArray();
            query.setArray(1, connection.createArrayOf("bigint", storeIds));
            query.setObject(2, from);
            query.setObject(3, to);
            query.setArray(4, connection.createArrayOf("bigint", storeIds));
            query.setObject(5, previousFrom);
            query.setObject(6, previousTo);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return new long[] {row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4)};
            }
        }
    }

    private JsonPath customers(List<Integer> stores, String from, String to, String granularity) {
        return given().header("Authorization", bearer(TestTokens.admin()))
                .queryParam("store", String.join(",", stores.stream().map(codes::get).toList()))
                .queryParam("from", from).queryParam("to", to).queryParam("granularity", granularity)
                .when().get("/api/v1/kpis/customers").then().statusCode(200).extract().jsonPath();
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
