package dev.levain.api.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.levain.devstack.test.DevStackTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class SalesKpiResourceTest {

    @Inject
    AgroalDataSource dataSource;

    private String store;

    @BeforeEach
    void coreSchemaAndAStore() throws SQLException {
        // normalize-service owns core; its migrations define the tables this API reads.
        Flyway.configure().dataSource(dataSource).schemas("core").createSchemas(true)
                .locations("classpath:db/core").load().migrate();
        store = "T" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        execute("INSERT INTO core.store (code, name, timezone, currency) VALUES (?, ?, 'Europe/Paris', 'EUR')", store, store);
    }

    @Test
    void dailyKpisCountCompletedSalesPerBusinessDay() throws SQLException {
        sale("2026-11-26", "completed", "10.00");
        sale("2026-11-26", "completed", "5.50");
        sale("2026-11-26", "voided", "99.00");
        sale("2026-11-27", "completed", "7.25");

        given().queryParam("store", store).queryParam("from", "2026-11-25").queryParam("to", "2026-11-27")
                .when().get("/api/v1/kpis/sales/daily")
                .then().statusCode(200)
                .body("store", equalTo(store))
                .body("days", hasSize(3))
                .body("days.business_date", contains("2026-11-25", "2026-11-26", "2026-11-27"))
                .body("days.net_sales", contains(0.0f, 15.5f, 7.25f))
                .body("days.transactions", contains(0, 2, 1))
                .body("days[0].average_ticket", nullValue())
                .body("days[1].average_ticket", equalTo(7.75f))
                .body("days[2].average_ticket", equalTo(7.25f))
                .body("days[1].currency", equalTo("EUR"));
    }

    @Test
    void averageTicketIsRoundedToTheCent() throws SQLException {
        sale("2026-11-20", "completed", "10.00");
        sale("2026-11-20", "completed", "10.00");
        sale("2026-11-20", "completed", "10.01");

        given().queryParam("store", store.toLowerCase()).queryParam("from", "2026-11-20").queryParam("to", "2026-11-20")
                .when().get("/api/v1/kpis/sales/daily")
                .then().statusCode(200)
                .body("days[0].net_sales", equalTo(30.01f))
                .body("days[0].average_ticket", equalTo(10.0f));
    }

    @Test
    void missingDateIsRefusedNamingTheParameter() {
        given().queryParam("store", store).queryParam("to", "2026-11-27")
                .when().get("/api/v1/kpis/sales/daily")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("parameter", equalTo("from"));
    }

    @Test
    void malformedOrReversedPeriodIsRefused() {
        given().queryParam("from", "27/11/2026").queryParam("to", "2026-11-27")
                .when().get("/api/v1/kpis/sales/daily")
                .then().statusCode(400).body("parameter", equalTo("from"));
        given().queryParam("from", "2026-11-27").queryParam("to", "2026-11-01")
                .when().get("/api/v1/kpis/sales/daily")
                .then().statusCode(400).body("parameter", equalTo("to"));
    }

    @Test
    void unknownStoreIs404() {
        given().queryParam("store", "NOPE-" + store).queryParam("from", "2026-11-01").queryParam("to", "2026-11-02")
                .when().get("/api/v1/kpis/sales/daily")
                .then().statusCode(404).body("parameter", equalTo("store"));
    }

    private void sale(String businessDate, String status, String net) throws SQLException {
        String sourceId = store + "/" + UUID.randomUUID();
        long rawId;
        try (Connection c = dataSource.getConnection(); PreparedStatement raw = c.prepareStatement("""
                INSERT INTO core.raw_event (event_id, source, type, topic, kafka_partition, kafka_offset, headers, payload)
                VALUES (?, 'test', 'levain.raw.pos.sale', 'levain.raw.pos', 0, nextval('core.raw_event_seq'), '{}', '\\x00')
                RETURNING id""")) {
            raw.setString(1, sourceId);
            try (ResultSet rows = raw.executeQuery()) {
                rows.next();
                rawId = rows.getLong(1);
            }
        }
        execute("""
                INSERT INTO core.sale (source, source_id, store_id, occurred_at, business_date, status, currency,
                                       gross, discount, net, version, received_at, raw_event_id)
                VALUES ('pos-native', ?, (SELECT id FROM core.store WHERE code = ?), ?, ?, ?, 'EUR', ?, 0, ?, 0, now(), ?)""",
                sourceId, store, OffsetDateTime.parse(businessDate + "T10:00:00+01:00"), LocalDate.parse(businessDate),
                status, new BigDecimal(net), new BigDecimal(net), rawId);
    }

    private void execute(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
        }
    }
}
