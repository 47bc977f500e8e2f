package dev.levain.normalize.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.events.EventTypes;
import dev.levain.events.Topics;
import dev.levain.normalize.repository.StoreRepository;
import dev.levain.normalize.repository.StoreRepository.MasterData;
import dev.levain.normalize.support.Db;
import dev.levain.normalize.support.RawEvents;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stores as master data (DESIGN.md §3): an admin creates or edits a store through the API and the very next events
 * are mapped with it (zone, currency, aliases) without a restart; configuration only seeds.
 */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class StoreMasterDataTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    private final RawEvents raw = new RawEvents();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    StoreMasterData seeding;

    @Inject
    StoreRepository repository;

    private Db db;

    @BeforeEach
    void database() {
        db = new Db(dataSource);
    }

    @Test
    void storeCreatedThroughTheApiTakesItsSalesByAliasInItsZoneAndCurrency() {
        String suffix = suffix();
        String code = "NY-" + suffix;
        String location = "sq-" + suffix.toLowerCase();
        admin().body("""
                        {"name": " Brooklyn ", "timezone": "America/New_York", "currency": "usd",
                         "opening_hours": {"mon": [["07:00", "19:00"]], "sun": []}, "aliases": ["%s"]}"""
                        .formatted(location))
                .when().put("/api/v1/normalize/stores/" + code.toLowerCase())
                .then().statusCode(201)
                .body("code", equalTo(code)).body("name", equalTo("Brooklyn"))
                .body("timezone", equalTo("America/New_York")).body("currency", equalTo("USD"))
                .body("opening_hours.mon[0][1]", equalTo("19:00"))
                .body("aliases", equalTo(List.of(location.toUpperCase())))
                .body("edited_at", notNullValue()).body("has_sales", equalTo(false));

        // 03:30 UTC on the 27th is 22:30 on the 26th in New York: the store's business day.
        String orderId = "O-" + suffix;
        raw.send(Topics.RAW_POS, EventTypes.RAW_POS_SQUARE_ORDER, "levain/pos-square/test", orderId, """
                {"id": "%s", "location_id": "%s", "state": "COMPLETED", "version": 1,
                 "created_at": "2026-11-27T03:30:00Z", "closed_at": "2026-11-27T03:30:00Z",
                 "line_items": [{"uid": "LI-1", "catalog_object_id": "BAGEL", "name": "Bagel", "quantity": "2",
                                 "base_price_money": {"amount": 250, "currency": "USD"},
                                 "gross_sales_money": {"amount": 500, "currency": "USD"},
                                 "total_discount_money": {"amount": 0, "currency": "USD"},
                                 "total_tax_money": {"amount": 0, "currency": "USD"},
                                 "total_money": {"amount": 500, "currency": "USD"}}],
                 "total_money": {"amount": 500, "currency": "USD"}, "total_tax_money": {"amount": 0, "currency": "USD"}}"""
                .formatted(orderId, location));
        await().atMost(WITHIN).until(() -> db.count("SELECT count(*) FROM core.sale WHERE source_id = ?", orderId) == 1);
        assertThat(db.query("""
                SELECT st.code, s.business_date::text AS day, s.currency FROM core.sale s
                JOIN core.store st ON st.id = s.store_id WHERE s.source_id = ?""", orderId))
                .containsExactly(Map.of("code", code, "day", "2026-11-26", "currency", "USD"));
        assertThat(db.count("SELECT count(*) FROM core.store WHERE code = ?", location.toUpperCase())).isZero();

        // Its sales were counted in New York days and dollars: those stay; the rest can change.
        admin().body("{\"name\": \"Brooklyn\", \"timezone\": \"Europe/Paris\", \"currency\": \"USD\"}")
                .when().put("/api/v1/normalize/stores/" + code)
                .then().statusCode(409).body("errors.timezone", containsString("America/New_York"));
        admin().body("{\"name\": \"Brooklyn\", \"timezone\": \"America/New_York\", \"currency\": \"EUR\"}")
                .when().put("/api/v1/normalize/stores/" + code)
                .then().statusCode(409).body("errors.currency", containsString("USD"));
        admin().body("{\"name\": \"Brooklyn Heights\", \"timezone\": \"America/New_York\", \"currency\": \"USD\"}")
                .when().put("/api/v1/normalize/stores/" + code)
                .then().statusCode(200).body("name", equalTo("Brooklyn Heights")).body("has_sales", equalTo(true))
                .body("aliases", equalTo(List.of())).body("opening_hours", equalTo(null));
        admin().when().get("/api/v1/normalize/stores").then().statusCode(200)
                .body("code", hasItem(code)).body("find { it.code == '" + code + "' }.name", equalTo("Brooklyn Heights"));
        admin().when().get("/api/v1/normalize/stores/" + code).then().statusCode(200).body("code", equalTo(code));
        admin().when().get("/api/v1/normalize/stores/NOWHERE-" + suffix).then().statusCode(404);
    }

    @Test
    void badEditsAreRefusedNamingEachFieldAndAliasesAreNeverShared() {
        String suffix = suffix();
        admin().body("""
                        {"name": "", "timezone": "Paris", "currency": "EURO",
                         "opening_hours": {"monday": [["07:00", "19:00"]]}, "aliases": ["X-%s"]}""".formatted(suffix))
                .when().put("/api/v1/normalize/stores/A-" + suffix)
                .then().statusCode(400)
                .body("errors.name", containsString("required"))
                .body("errors.timezone", containsString("Paris"))
                .body("errors.currency", containsString("EURO"))
                .body("errors.opening_hours", containsString("monday"));
        admin().body("{\"name\": \"A\", \"timezone\": \"Europe/Paris\", \"currency\": \"EUR\","
                        + " \"opening_hours\": {\"mon\": [[\"7h\", \"19:00\"]]}}")
                .when().put("/api/v1/normalize/stores/A-" + suffix)
                .then().statusCode(400).body("errors.'opening_hours.mon'", containsString("HH:MM"));
        admin().body("{\"name\": \"A\", \"timezone\": \"Europe/Paris\", \"currency\": \"EUR\"}")
                .when().put("/api/v1/normalize/stores/not a code")
                .then().statusCode(400).body("errors.code", containsString("letters"));
        assertThat(db.count("SELECT count(*) FROM core.store WHERE code = ?", "A-" + suffix)).isZero();

        store("A-" + suffix, "X-" + suffix);
        admin().body("{\"name\": \"B\", \"timezone\": \"Europe/Paris\", \"currency\": \"EUR\", \"aliases\": [\"x-%s\"]}"
                        .formatted(suffix))
                .when().put("/api/v1/normalize/stores/B-" + suffix)
                .then().statusCode(409).body("errors.aliases", containsString("alias of store A-" + suffix));
        admin().body("{\"name\": \"B\", \"timezone\": \"Europe/Paris\", \"currency\": \"EUR\", \"aliases\": [\"A-%s\"]}"
                        .formatted(suffix))
                .when().put("/api/v1/normalize/stores/B-" + suffix)
                .then().statusCode(409).body("errors.aliases", containsString("code of another store"));
        // A store whose code is A's alias would never receive its own events (aliases are resolved first).
        admin().body("{\"name\": \"X\", \"timezone\": \"Europe/Paris\", \"currency\": \"EUR\"}")
                .when().put("/api/v1/normalize/stores/X-" + suffix)
                .then().statusCode(409).body("errors.code", containsString("alias of store A-" + suffix));
        assertThat(db.count("SELECT count(*) FROM core.store WHERE code IN (?, ?)", "B-" + suffix, "X-" + suffix))
                .isZero();

        given().contentType(ContentType.JSON).body("{}").when().put("/api/v1/normalize/stores/A-" + suffix)
                .then().statusCode(401);
        given().when().get("/api/v1/normalize/stores").then().statusCode(401);
    }

    /** Configuration seeds: a configured store comes back to its configuration, an edited one keeps its edit. */
    @Test
    void configurationSeedsStoresButNeverUndoesAnAdminsEdit() throws SQLException {
        admin().when().get("/api/v1/normalize/stores/TEST-SEEDED").then().statusCode(200)
                .body("name", equalTo("Seeded bakery")).body("aliases", equalTo(List.of("TEST-SEEDED-TILL")))
                .body("edited_at", equalTo(null));
        admin().body("{\"name\": \"Renamed by the owner\", \"timezone\": \"Europe/Paris\", \"currency\": \"EUR\","
                        + " \"aliases\": [\"TEST-EDITED-NEW-TILL\"]}")
                .when().put("/api/v1/normalize/stores/TEST-EDITED").then().statusCode(200);
        db.execute("UPDATE core.store SET name = 'Drifted' WHERE code = 'TEST-SEEDED'");

        seeding.seed(); // what the next start does

        admin().when().get("/api/v1/normalize/stores/TEST-SEEDED").then().statusCode(200)
                .body("name", equalTo("Seeded bakery"));
        admin().when().get("/api/v1/normalize/stores/TEST-EDITED").then().statusCode(200)
                .body("name", equalTo("Renamed by the owner"))
                .body("aliases", equalTo(List.of("TEST-EDITED-NEW-TILL")));
    }

    /** An alias the configuration moves from one store to another follows it, whichever store is written first. */
    @Test
    void anAliasMovedInTheConfigurationFollowsItWhateverTheOrderOfTheStores() throws SQLException {
        String suffix = suffix();
        String one = "CFG1-" + suffix;
        String two = "CFG2-" + suffix;
        String till = "TILL-" + suffix;
        ZoneId paris = ZoneId.of("Europe/Paris");
        try (Connection connection = dataSource.getConnection()) {
            repository.seed(connection, List.of(new MasterData(one, "One", "Europe/Paris", "EUR", null, List.of(till))),
                    paris, "EUR");
            assertThat(repository.storeWithAlias(connection, till)).contains(one);
            repository.seed(connection, List.of(new MasterData(two, "Two", "Europe/Paris", "EUR", null, List.of(till)),
                    new MasterData(one, "One", "Europe/Paris", "EUR", null, List.of())), paris, "EUR");
            assertThat(repository.storeWithAlias(connection, till)).contains(two);
        }
    }

    private void store(String code, String alias) {
        admin().body("{\"name\": \"%s\", \"timezone\": \"Europe/Paris\", \"currency\": \"EUR\", \"aliases\": [\"%s\"]}"
                        .formatted(code, alias))
                .when().put("/api/v1/normalize/stores/" + code).then().statusCode(201);
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer test-admin-token").contentType(ContentType.JSON);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }
}
