package dev.levain.normalize.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.EventTypes;
import dev.levain.events.Topics;
import dev.levain.normalize.support.Db;
import dev.levain.normalize.support.RawEvents;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A database that refuses the normalizer's writes for a reason of its own setup — here every
 * insert into {@code core.sale_line} fails with SQLSTATE 42501, as a revoked grant does — is not
 * the events' fault: consumption pauses with readiness DOWN, nothing is dead-lettered, and the
 * events land by themselves once the grant is back.
 */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class DatabaseSetupFailureTest {

    private static final String REFUSE = """
            CREATE FUNCTION core.refuse_sale_lines() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'permission denied for table sale_line' USING ERRCODE = '42501'; END $$;
            CREATE TRIGGER refuse_sale_lines BEFORE INSERT ON core.sale_line
                FOR EACH STATEMENT EXECUTE FUNCTION core.refuse_sale_lines()""";
    private static final String GRANT_BACK = """
            DROP TRIGGER refuse_sale_lines ON core.sale_line;
            DROP FUNCTION core.refuse_sale_lines()""";

    private final RawEvents raw = new RawEvents();
    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aRevokedGrantPausesConsumptionWithReadinessDownAndNothingIsDeadLettered() {
        Db db = new Db(dataSource);
        String store = "GR-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String key = store + "/S-1";
        String rejectedOfThisSale = "SELECT count(*) FROM core.rejected_event WHERE convert_from(payload, 'UTF8') LIKE '%' || ? || '%'";
        db.execute(REFUSE);
        boolean refused = true;
        try {
            raw.send(Topics.RAW_POS, EventTypes.RAW_POS_SALE, "levain/pos-native/" + store, key, """
                    {"store_code": "%s", "sale_id": "S-1", "occurred_at": "2026-11-24T08:00:00+01:00",
                     "lines": [{"sku": "PAIN", "quantity": 2, "unit_price": 1.10}]}""".formatted(store));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/q/health/ready").then()
                    .statusCode(503)
                    .body("checks.find { it.name == 'normalizer writes' }.status", org.hamcrest.Matchers.is("DOWN")));
            String detail = given().when().get("/q/health/ready").then().extract()
                    .path("checks.find { it.name == 'normalizer writes' }.data.toString()");
            assertThat(detail).contains("permission denied for table sale_line");
            assertThat(db.count("SELECT count(*) FROM core.sale WHERE source_id = ?", key)).isZero();
            assertThat(db.count(rejectedOfThisSale, store)).isZero();

            db.execute(GRANT_BACK);
            refused = false;

            await().atMost(Duration.ofSeconds(60)).until(() ->
                    db.count("SELECT count(*) FROM core.sale WHERE source_id = ?", key) == 1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    given().when().get("/q/health/ready").then().statusCode(200));
            assertThat(db.count(rejectedOfThisSale, store)).isZero();
            assertThat(kafka.readAll(Topics.RAW_POS + ".dlq")).noneMatch(r -> key.equals(r.key()));
        } finally {
            if (refused) {
                db.execute(GRANT_BACK);
            }
        }
    }
}
