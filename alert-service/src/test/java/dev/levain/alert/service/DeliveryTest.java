package dev.levain.alert.service;

import static dev.levain.alert.support.Fixtures.admin;
import static dev.levain.alert.support.Fixtures.level;
import static dev.levain.alert.support.Fixtures.lowStockRule;
import static dev.levain.alert.support.Fixtures.observation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.levain.alert.messaging.DeliveryResult;
import dev.levain.alert.support.Database;
import dev.levain.alert.support.Fixtures;
import dev.levain.alert.support.OutsideWorld;
import dev.levain.alert.support.OutsideWorldTestResource;
import dev.levain.alert.support.TestClock;
import dev.levain.devstack.simulator.slack.SlackStandIn;
import dev.levain.devstack.test.DevStackTestResource;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The outbox dispatcher against a misbehaving Slack and SMTP server: nothing lost, little duplicated. */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OutsideWorldTestResource.class, scope = TestResourceScope.GLOBAL)
class DeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    OutsideWorld world;

    @Inject
    ObservationService observations;

    @Inject
    OutboxDispatcher dispatcher;

    @Inject
    Scheduler scheduler;

    @Inject
    TestClock clock;

    @Inject
    Database database;

    @AfterEach
    void outsideWorldBackToNormal() {
        world.slack().up();
        scheduler.resume(OutboxDispatcher.SLACK_JOB);
    }

    @Test
    void slackRateLimitWaitsForRetryAfterAndDeliversOnce() {
        String store = Fixtures.store("429");
        lowStockRule(store, 5, "[\"slack\"]");
        world.slack().rateLimitNext(1, 2);

        observations.observe(observation(level(store, "MADELEINE", 1, 1)));

        await().atMost(WAIT).until(() -> delivered(store).size() == 1);
        List<SlackStandIn.Received> tries = world.slack().containing(store);
        assertThat(tries).extracting(SlackStandIn.Received::status).containsExactly(429, 200);
        assertThat(Duration.between(tries.get(0).at(), tries.get(1).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> world.slack().containing(store).size() == 2);
    }

    @Test
    void slackDownForAWhileDeliversEverythingAfterRecovery() {
        List<String> stores = List.of(Fixtures.store("DOWN"), Fixtures.store("DOWN"), Fixtures.store("DOWN"));
        world.slack().down(503);
        for (String store : stores) {
            lowStockRule(store, 5, "[\"slack\"]");
            observations.observe(observation(level(store, "KOUIGN", 0, 1)));
        }
        await().atMost(WAIT).until(() -> stores.stream().allMatch(store -> world.slack().containing(store).size() >= 2));
        assertThat(stores).allMatch(store -> delivered(store).isEmpty());

        world.slack().up();

        await().atMost(WAIT).until(() -> stores.stream().allMatch(store -> delivered(store).size() == 1));
        for (String store : stores) {
            long alertId = alertId(store);
            assertThat(admin().get("/api/v1/alerts/notifications?channel=slack&alert_id=" + alertId).then()
                    .statusCode(200).extract().jsonPath().getList("items.status")).containsExactly("sent");
        }
    }

    @Test
    void smtpDownIsRetriedUntilTheMailIsAccepted() {
        String store = Fixtures.store("SMTP");
        lowStockRule(store, 5, "[\"email\"]");
        world.smtpDown();
        try {
            observations.observe(observation(level(store, "FINANCIER", 2, 1)));
            long alertId = alertId(store);
            await().atMost(WAIT).until(() -> retries(alertId) >= 2);
        } finally {
            world.smtpUp();
        }

        await().atMost(WAIT).until(() -> !world.mailsAbout(store).isEmpty());
        long notificationId = admin().get("/api/v1/alerts/notifications?channel=email&alert_id=" + alertId(store))
                .then().extract().jsonPath().getLong("items[0].id");
        await().atMost(WAIT).until(() -> "sent".equals(admin().get("/api/v1/alerts/notifications/" + notificationId)
                .then().extract().jsonPath().getString("notification.status")));
        List<String> outcomes = admin().get("/api/v1/alerts/notifications/" + notificationId).then().extract()
                .jsonPath().getList("attempts.outcome");
        assertThat(outcomes).last().isEqualTo("sent");
        assertThat(outcomes.subList(0, outcomes.size() - 1)).isNotEmpty().containsOnly("retry");
    }

    @Test
    void crashBetweenSlackAcceptAndMarkingSentSendsAtMostOneDuplicate() {
        String store = Fixtures.store("CRASH");
        lowStockRule(store, 5, "[\"slack\"]");
        scheduler.pause(OutboxDispatcher.SLACK_JOB);
        observations.observe(observation(level(store, "PALMIER", 1, 1)));
        clock.advance(Duration.ofSeconds(2)); // past the group wait

        List<Notification> claimed = dispatcher.claim(List.of(Notification.SLACK), 50).stream()
                .filter(notification -> store.equals(notification.storeCode())).toList();
        assertThat(claimed).hasSize(1);
        DeliveryResult accepted = dispatcher.send(claimed.get(0));
        assertThat(accepted.accepted()).isTrue();
        // The instance dies here: Slack has the message, the outbox does not know.

        scheduler.resume(OutboxDispatcher.SLACK_JOB);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> delivered(store).size() == 1);
        clock.advance(Duration.ofSeconds(31)); // the lease runs out

        await().atMost(WAIT).until(() -> delivered(store).size() == 2);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> delivered(store).size() == 2);
        assertThat(delivered(store).get(1).body()).isEqualTo(delivered(store).get(0).body());
        assertThat(database.strings("SELECT status FROM alerts.notification WHERE id = ?", claimed.get(0).id()))
                .containsExactly("sent");
    }

    private List<SlackStandIn.Received> delivered(String store) {
        return world.slack().containing(store).stream().filter(message -> message.status() == 200).toList();
    }

    private long alertId(String store) {
        return admin().get("/api/v1/alerts?store=" + store).then().statusCode(200).extract().jsonPath()
                .getLong("items[0].id");
    }

    private long retries(long alertId) {
        return database.count("SELECT count(*) FROM alerts.notification_attempt a JOIN alerts.notification n "
                + "ON n.id = a.notification_id WHERE a.outcome = 'retry' AND n.items @> "
                + "jsonb_build_array(jsonb_build_object('alert_id', ?::bigint))", alertId);
    }
}
