package dev.levain.alert.service;

import static dev.levain.alert.support.Fixtures.level;
import static dev.levain.alert.support.Fixtures.lowStockRule;
import static dev.levain.alert.support.Fixtures.observation;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.levain.alert.support.Database;
import dev.levain.alert.support.Fixtures;
import dev.levain.alert.support.OutsideWorld;
import dev.levain.alert.support.OutsideWorldTestResource;
import dev.levain.devstack.simulator.slack.SlackStandIn;
import dev.levain.devstack.test.DevStackTestResource;
import dev.levain.devstack.test.ExposedMetrics;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What an operator reads at {@code /q/metrics} matches what alert-service did: evaluations, alerts, outbox, deliveries. */
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OutsideWorldTestResource.class, scope = TestResourceScope.GLOBAL)
class MetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    OutsideWorld world;

    @Inject
    ObservationService observations;

    @Inject
    Database database;

    @Inject
    Scheduler scheduler;

    @AfterEach
    void slackBackUp() {
        world.slack().up();
        scheduler.resume(OutboxDispatcher.SLACK_JOB);
    }

    /**
     * A low-stock level is one evaluation of each low_stock rule of its store; the alert it
     * fires is counted among the firing ones; while Slack is down its message waits in the outbox; and
     * every delivery attempt counted since is a message the Slack stand-in received, with the same outcome.
     */
    @Test
    void metricsFollowAnAlertFromEvaluationToSlack() {
        String store = Fixtures.store("METRICS");
        lowStockRule(store, 5, "[\"slack\"]");
        world.slack().down(503);
        // Counted from here on, with the Slack dispatcher held so that no delivery is under way meanwhile.
        scheduler.pause(OutboxDispatcher.SLACK_JOB);
        int receivedBefore = world.slack().received().size();
        String before = metrics();
        double evaluationsBefore = ExposedMetrics.sum(before, "levain_alert_evaluations_total", "kind=\"low_stock\"");

        observations.observe(observation(level(store, "PAIN-AU-CHOCOLAT", 1, 1)));
        scheduler.resume(OutboxDispatcher.SLACK_JOB);

        // This store's own rule, and any rule for every store that an earlier test left enabled.
        long lowStockRules = database.count("SELECT count(*) FROM alerts.rule WHERE enabled AND kind = 'low_stock' "
                + "AND (store_code IS NULL OR store_code = ?)", store);
        assertThat(metric("levain_alert_evaluations_total", "kind=\"low_stock\"") - evaluationsBefore)
                .isEqualTo(lowStockRules);
        await().atMost(WAIT).until(() -> world.slack().containing(store).size() >= 2);
        await().atMost(WAIT).untilAsserted(() -> {
            String whileDown = metrics();
            assertThat(ExposedMetrics.sum(whileDown, "levain_alert_firing"))
                    .isEqualTo(database.count("SELECT count(*) FROM alerts.alert WHERE state = 'firing'"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(ExposedMetrics.sum(whileDown, "levain_alert_outbox_depth", "channel=\"slack\""))
                    .isEqualTo(database.count("SELECT count(*) FROM alerts.notification WHERE status = 'pending' "
                            + "AND channel = 'slack'"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(ExposedMetrics.sum(whileDown, "levain_alert_outbox_oldest_seconds", "channel=\"slack\""))
                    .isPositive();
        });
        world.slack().up();

        await().atMost(WAIT).until(() -> world.slack().containing(store).stream().anyMatch(m -> m.status() == 200));
        await().atMost(WAIT).untilAsserted(() -> {
            String after = metrics();
            List<SlackStandIn.Received> received = world.slack().received();
            List<SlackStandIn.Received> since = received.subList(receivedBefore, received.size());
            assertThat(attempts(after, "sent") - attempts(before, "sent")).isEqualTo(count(since, true));
            assertThat(attempts(after, "retry") - attempts(before, "retry")).isEqualTo(count(since, false))
                    .isGreaterThanOrEqualTo(2);
        });
    }

    /** exposed-metrics.txt, which deploy's alert rules and dashboard are checked against, is what alert-service exposes. */
    @Test
    void exposedMetricsAreTheListedOnes() {
        String store = Fixtures.store("LISTED");
        lowStockRule(store, 5, "[\"slack\"]");
        observations.observe(observation(level(store, "BRIOCHE", 0, 1)));
        await().atMost(WAIT).until(() -> world.slack().containing(store).stream().anyMatch(m -> m.status() == 200));

        await().atMost(WAIT).untilAsserted(() ->
                assertThat(ExposedMetrics.mismatches(metrics())).isEmpty());
    }

    private static double attempts(String metrics, String outcome) {
        return ExposedMetrics.sum(metrics, "levain_alert_delivery_attempts_total", "channel=\"slack\"",
                "outcome=\"" + outcome + "\"");
    }

    private static long count(List<SlackStandIn.Received> messages, boolean accepted) {
        return messages.stream().filter(message -> (message.status() >= 200 && message.status() < 300) == accepted).count();
    }

    private static double metric(String name, String... labels) {
        return ExposedMetrics.sum(metrics(), name, labels);
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
