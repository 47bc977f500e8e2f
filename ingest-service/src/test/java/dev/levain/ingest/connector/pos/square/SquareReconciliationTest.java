package dev.levain.ingest.connector.pos.square;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;

import dev.levain.devstack.simulator.square.SquareSimulator;
import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.devstack.test.KafkaTestClient;
import dev.levain.events.EventTypes;
import dev.levain.events.Topics;
import dev.levain.ingest.support.InjectSquareSimulator;
import dev.levain.ingest.support.SquareSimulatorTestResource;
import dev.levain.ingest.support.SquareWebhooks;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SquareSimulatorTestResource.class, scope = TestResourceScope.GLOBAL)
class SquareReconciliationTest {

    private static final String RUN = "/api/v1/ingest/pulls/" + SquareReconciliation.NAME + "/run";

    private final KafkaTestClient kafka = KafkaTestClient.shared();

    @InjectSquareSimulator
    SquareSimulator square;

    @TestHTTPResource(SquareWebhooks.PATH)
    URL webhookUrl;

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void squareDeliversToThisApplication() {
        square.deliverTo(webhookUrl.toString());
        square.healOrdersApi();
    }

    @AfterEach
    void locationsBackInPanPansZone() {
        square.resetLocationTimezones();
        forgetTheCursor();
    }

    /**
     * Cursors only move forward: a location moved to UTC+14 leaves its day ahead of Paris's in the cursor, and
     * moving it back does not bring it back. Each test starts from no cursor, as on a first run.
     */
    private void forgetTheCursor() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM ingest.pull_cursor WHERE job = ?")) {
            delete.setString(1, SquareReconciliation.NAME);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void ordersWhoseWebhooksWereLostArePublishedByTheReconciliationAndOthersAreNotPublishedTwice() {
        SquareSimulator.Sale received = square.sell();
        square.dropNextWebhooks(4);
        SquareSimulator.Sale lost = square.sell();
        SquareSimulator.Sale alsoLost = square.sell();
        assertThat(orderCounts()).containsEntry(key(received), 1L).doesNotContainKeys(key(lost), key(alsoLost));

        given().auth().oauth2("test-upload-token").post(RUN).then().statusCode(200)
                .body("last_error", nullValue())
                .body("cursor", equalTo("L1BASTILLE=%1$s;L2MONTMARTRE=%1$s;L3DELIVERY=%1$s"
                        .formatted(LocalDate.now(ZoneId.of("Europe/Paris")))))
                .body("last_result.published", greaterThanOrEqualTo(2))
                .body("last_result.duplicates", greaterThanOrEqualTo(1));

        Map<String, Long> counts = orderCounts();
        assertThat(counts).containsEntry(key(received), 1L).containsEntry(key(lost), 1L)
                .containsEntry(key(alsoLost), 1L);
        assertThat(ordersOf(lost)).singleElement().satisfies(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                .isEqualTo(square.orderJson(lost.orderId())));

        // Everything of today is on Kafka now: a second run publishes nothing again.
        given().auth().oauth2("test-upload-token").post(RUN).then().statusCode(200)
                .body("last_error", nullValue())
                .body("last_result.published", equalTo(0));
        assertThat(orderCounts()).containsEntry(key(lost), 1L);
    }

    @Test
    void aLocationBehindTheOthersReconcilesItsOwnLastMinutesBeforeMidnightWhenItsDayTurns() {
        // UTC+14 and UTC-11: Bastille is always at least a day ahead of the delivery location.
        ZoneId ahead = ZoneId.of("Pacific/Kiritimati");
        ZoneId behind = ZoneId.of("Pacific/Pago_Pago");
        square.setLocationTimezone("L1BASTILLE", ahead.getId());
        square.setLocationTimezone("L3DELIVERY", behind.getId());
        LocalDate behindDay = LocalDate.now(behind);
        given().auth().oauth2("test-upload-token").post(RUN).then().statusCode(200).body("last_error", nullValue());

        // The delivery location's day turns. The test cannot move the clock, so it moves the location to where
        // its next day has begun already: Bastille's zone, whose day the last run saw.
        square.setLocationTimezone("L3DELIVERY", ahead.getId());
        LocalDate newDay = LocalDate.now(ahead);
        assertThat(newDay).isAfter(behindDay);
        ZonedDateTime midnight = newDay.atStartOfDay(ahead);
        // A sale of its last minute before that midnight, whose webhooks were lost.
        square.dropNextWebhooks(2);
        SquareSimulator.Sale lastMinute = square.sellAt("L3DELIVERY", midnight.minusMinutes(1).toInstant());

        String cursor = given().auth().oauth2("test-upload-token").post(RUN).then().statusCode(200).body("last_error", nullValue())
                .extract().path("cursor");
        assertThat(ordersOf(lastMinute)).singleElement().satisfies(r -> assertThat(
                new String(r.value(), StandardCharsets.UTF_8)).isEqualTo(square.orderJson(lastMinute.orderId())));
        assertThat(cursor).contains("L1BASTILLE=" + newDay, "L3DELIVERY=" + newDay);
    }

    @Test
    void failingOrdersApiFailsTheRunAndKeepsItsCursor() {
        square.failOrdersApi(500);
        given().auth().oauth2("test-upload-token").post(RUN).then().statusCode(200)
                .body("last_error", equalTo("Square answered 500 for orders of L1BASTILLE"))
                .body("consecutive_failures", greaterThanOrEqualTo(1));
        square.healOrdersApi();
        given().auth().oauth2("test-upload-token").post(RUN).then().statusCode(200).body("last_error", nullValue()).body("consecutive_failures", equalTo(0));
    }

    private List<ConsumerRecord<String, byte[]>> ordersOf(SquareSimulator.Sale sale) {
        return kafka.readAll(Topics.RAW_POS).stream()
                .filter(r -> key(sale).equals(r.key()) && EventTypes.RAW_POS_SQUARE_ORDER.equals(header(r, "ce_type")))
                .toList();
    }

    private Map<String, Long> orderCounts() {
        return kafka.readAll(Topics.RAW_POS).stream()
                .filter(r -> EventTypes.RAW_POS_SQUARE_ORDER.equals(header(r, "ce_type")))
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
    }

    private static String key(SquareSimulator.Sale sale) {
        return sale.locationId() + "/" + sale.orderId();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
